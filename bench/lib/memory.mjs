/**
 * Memory while a scenario runs: the workerd process's resident set (from /proc) and the
 * gateway isolate's V8 heap (from the inspector's `Runtime.getHeapUsage`). The Durable
 * Objects of a script share its isolate in workerd, so the heap includes them.
 * ArrayBuffer contents (request bodies) live outside the V8 heap proper and are
 * reported separately as `backingStorageSize`.
 * @module
 */
import { readFile } from 'node:fs/promises'

/** Resident set of a process in bytes, or null where /proc is unavailable. */
export async function rssBytes(pid) {
	if (!pid) return null
	try {
		const status = await readFile(`/proc/${pid}/status`, 'utf8')
		const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)
		return kb ? Number(kb[1]) * 1024 : null
	} catch {
		return null
	}
}

/**
 * One heap reading of an isolate, or null when the inspector did not answer in time.
 * @param {import('./inspector.mjs').Inspector} inspector
 * @returns {Promise<{ usedSize: number, totalSize: number, backingStorageSize?: number } | null>}
 */
export const heapUsage = (inspector) => inspector.call('Runtime.getHeapUsage')

/**
 * Samples RSS and (if given) heap every `everyMs` until stopped; keeps the peaks.
 * @param {{ pid: number | null, inspector?: import('./inspector.mjs').Inspector | null, everyMs?: number }} o
 */
export function startSampling({ pid, inspector = null, everyMs = 100 }) {
	const peak = { rss: 0, heapUsed: 0, heapTotal: 0, backing: 0, isolate: 0, samples: 0 }
	let stopped = false
	const loop = (async () => {
		while (!stopped) {
			const [rss, heap] = await Promise.all([
				rssBytes(pid),
				inspector ? heapUsage(inspector) : null,
			])
			peak.samples++
			if (rss) peak.rss = Math.max(peak.rss, rss)
			if (heap) {
				peak.heapUsed = Math.max(peak.heapUsed, heap.usedSize)
				peak.heapTotal = Math.max(peak.heapTotal, heap.totalSize)
				peak.backing = Math.max(peak.backing, heap.backingStorageSize ?? 0)
				// Peaks of the parts can fall at different moments; this is the true peak sum.
				peak.isolate = Math.max(peak.isolate, heap.usedSize + (heap.backingStorageSize ?? 0))
			}
			await new Promise((resolve) => setTimeout(resolve, everyMs))
		}
	})()
	return {
		async stop() {
			stopped = true
			await loop
			return peak
		},
	}
}

export const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10
