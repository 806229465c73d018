/**
 * Result rows, the printed table and bench/results/latest.json.
 * @module
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ratio, round } from './stats.mjs'

/**
 * @typedef {object} Row
 * @property {string} scenario
 * @property {number | null} rps the gateway's rate of the responses this row is about
 * @property {number | null} p50_ms
 * @property {number | null} p99_ms
 * @property {number | null} baseline_rps the bare Worker's rate, same load, same run
 * @property {number | null} ratio rps / baseline_rps
 * @property {string} notes
 * @property {Record<string, unknown>} [details] everything else measured
 */

/**
 * @param {{ scenario: string, rps?: number, p50?: number, p99?: number, baselineRps?: number,
 *   notes?: string[], details?: Record<string, unknown> }} r
 * @returns {Row}
 */
export function row({ scenario, rps, p50, p99, baselineRps, notes = [], details = {} }) {
	return {
		scenario,
		rps: round(rps ?? Number.NaN),
		p50_ms: round(p50 ?? Number.NaN),
		p99_ms: round(p99 ?? Number.NaN),
		baseline_rps: round(baselineRps ?? Number.NaN),
		ratio: round(ratio(rps ?? Number.NaN, baselineRps ?? Number.NaN), 3),
		notes: notes.filter(Boolean).join('; '),
		details,
	}
}

/** A row for a scenario that could not run, saying why. */
export const skipped = (scenario, why) => row({ scenario, notes: [`not run: ${why}`] })

/** @param {Row[]} rows */
export function formatTable(rows) {
	const cols = ['scenario', 'rps', 'p50_ms', 'p99_ms', 'baseline_rps', 'ratio', 'notes']
	const cell = (v) => (v === null || v === undefined ? '–' : String(v))
	const lines = [cols, ...rows.map((r) => cols.map((c) => cell(r[c])))]
	const widths = cols.map((_, i) =>
		Math.max(...lines.map((l) => (i === cols.length - 1 ? 0 : l[i].length))),
	)
	const fmt = (l) =>
		l
			.map((v, i) =>
				i === cols.length - 1 ? v : i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]),
			)
			.join('  ')
	return [fmt(lines[0]), ...lines.slice(1).map(fmt)].join('\n')
}

/** The same rows as a Markdown table (for docs/benchmarks.md). */
export function formatMarkdown(rows) {
	const cols = ['scenario', 'rps', 'p50_ms', 'p99_ms', 'baseline_rps', 'ratio', 'notes']
	const cell = (v) => (v === null || v === undefined ? '–' : String(v).replaceAll('|', '\\|'))
	return [
		`| ${cols.join(' | ')} |`,
		`|${cols.map(() => '---').join('|')}|`,
		...rows.map((r) => `| ${cols.map((c) => cell(r[c])).join(' | ')} |`),
	].join('\n')
}

/** Writes through a temp file so an interrupted run never leaves half a JSON behind. */
export async function writeResults(path, doc) {
	await mkdir(dirname(path), { recursive: true })
	const tmp = `${path}.tmp`
	await writeFile(tmp, `${JSON.stringify(doc, null, '\t')}\n`)
	await rename(tmp, path)
}
