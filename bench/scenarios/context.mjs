/**
 * What every scenario receives, and small helpers they share.
 * @module
 */
import { mergedLatency } from '../lib/cannon.mjs'
import { interleave } from '../lib/interleave.mjs'
import { paced } from '../lib/paced.mjs'
import { mergeCounts } from '../lib/stats.mjs'

/**
 * @typedef {object} Context
 * @property {import('../lib/runtime.mjs').Runtime} rt
 * @property {import('../lib/admin.mjs').Admin} admin
 * @property {import('../lib/fixtures.mjs').Fixtures} fx
 * @property {number} rounds interleaved rounds per scenario
 * @property {number} seconds load per side per round
 * @property {number} drainMs how long to wait for the gateway to finish accepted work
 * @property {(msg: string) => void} log
 * @property {(side: 'baseline' | 'gateway') => Promise<import('../lib/inspector.mjs').Inspector | null>} inspector
 *   a shared inspector session on that Worker's isolate (workerd serves one session per
 *   target at a time), or null if the inspector is unavailable
 */

/**
 * @typedef {object} Scenario
 * @property {string} name
 * @property {string} summary one line for --help
 * @property {(ctx: Context) => Promise<import('../lib/report.mjs').Row[]>} run
 */

/** @param {Context} ctx @param {'baseline' | 'gateway'} side */
export const originOf = (ctx, side) => (side === 'gateway' ? ctx.rt.gatewayUrl : ctx.rt.baselineUrl)

/** Status counts as `200×123 429×45`, for notes. */
export const describeStatuses = (counts) =>
	Object.entries(counts)
		.map(([code, n]) => `${code === '0' ? 'err' : code}×${n}`)
		.join(' ')

/** Sum of the counts whose status is in [lo, hi]. */
export const countRange = (counts, lo, hi) =>
	Object.entries(counts).reduce((s, [code, n]) => (+code >= lo && +code <= hi ? s + n : s), 0)

/**
 * Totals over one side's closed-loop rounds: status counts, seconds, 2xx count, the rate
 * of all answers (whatever their status), and latency percentiles from merged histograms.
 * @param {import('../lib/cannon.mjs').CannonRound[]} rounds
 */
export function closedLoopTotals(rounds) {
	const statuses = mergeCounts(rounds.map((r) => r.statuses))
	const seconds = rounds.reduce((s, r) => s + r.seconds, 0)
	const answered = Object.values(statuses).reduce((a, n) => a + n, 0)
	return {
		statuses,
		seconds,
		ok: countRange(statuses, 200, 299),
		rps: answered / seconds,
		latency: mergedLatency(rounds),
	}
}

/**
 * The `details.gateway` / `details.baseline` pair of a closed-loop row.
 * @param {ReturnType<typeof closedLoopTotals>} g
 * @param {ReturnType<typeof closedLoopTotals>} b
 */
export const closedLoopDetails = (g, b) => ({
	gateway: { statuses: g.statuses, seconds: g.seconds, latency: g.latency },
	baseline: { statuses: b.statuses, seconds: b.seconds, latency: b.latency },
})

/** Seconds the paced rounds of one side took, summed. @param {import('../lib/paced.mjs').PacedRun[]} runs */
export const pacedSeconds = (runs) => runs.reduce((sum, r) => sum + r.seconds, 0)

/**
 * The steady-rate A/B run several scenarios share: `rate` requests per second, evenly
 * paced, against each side in interleaved rounds, then `settle` before the next round.
 * @param {Context} ctx
 * @param {{ rate: number, path: () => string, init: () => RequestInit, settle: () => Promise<number | null> }} spec
 */
export function pacedAB(ctx, spec) {
	return interleave({
		rounds: ctx.rounds,
		run: (side) =>
			paced({
				rate: spec.rate,
				durationMs: ctx.seconds * 1000,
				request: () => ({ url: `${originOf(ctx, side)}${spec.path()}`, init: spec.init() }),
				warmUrl: `${originOf(ctx, side)}/`,
			}),
		settle: spec.settle,
		log: ctx.log,
	})
}
