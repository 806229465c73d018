/**
 * Optional CPU profiles of the gateway's isolate (`--profile`), to find where the time
 * goes once a scenario shows that it goes. Sampling costs some throughput, so a
 * profiled run's numbers are marked and are not for comparison.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Sampling interval in µs: fine enough for ms-scale handlers, cheap enough to keep up. */
const INTERVAL_US = 500

/** @param {import('./inspector.mjs').Inspector} inspector */
export async function startProfile(inspector) {
	await inspector.call('Profiler.enable')
	await inspector.call('Profiler.setSamplingInterval', { interval: INTERVAL_US })
	await inspector.call('Profiler.start')
	return {
		/**
		 * Stops, writes the profile (opens in Chrome DevTools' Performance panel) and
		 * returns the functions with the most self time.
		 * @param {string} path
		 */
		async stop(path) {
			const result = await inspector.call('Profiler.stop', {}, 60_000)
			if (!result?.profile) return null
			await mkdir(dirname(path), { recursive: true })
			await writeFile(path, JSON.stringify(result.profile))
			return topSelfTime(result.profile)
		},
	}
}

/**
 * Self time per function, largest first, as share of all samples (idle included, so the
 * shares also say how busy the isolate was).
 * @param {{ nodes: any[], samples: number[], timeDeltas: number[] }} profile
 * @param {number} [n]
 */
export function topSelfTime(profile, n = 8) {
	/** @type {Map<number, number>} */
	const byNode = new Map()
	profile.samples.forEach((node, i) => {
		byNode.set(node, (byNode.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0))
	})
	/** @type {Map<string, number>} */
	const byFunction = new Map()
	for (const node of profile.nodes) {
		const { functionName, url, lineNumber } = node.callFrame
		const file = url ? `${url.split('/').pop()}:${lineNumber + 1}` : ''
		const key = `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`
		byFunction.set(key, (byFunction.get(key) ?? 0) + (byNode.get(node.id) ?? 0))
	}
	const total = [...byFunction.values()].reduce((a, b) => a + b, 0) || 1
	return [...byFunction.entries()]
		.sort((a, b) => b[1] - a[1])
		.slice(0, n)
		.map(([fn, us]) => ({
			fn,
			ms: Math.round(us / 1000),
			share: Math.round((1000 * us) / total) / 10,
		}))
}
