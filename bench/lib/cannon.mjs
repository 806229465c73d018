/**
 * autocannon, closed-loop (as fast as the server answers), as a promise that returns raw
 * histograms so interleaved rounds can be merged into true percentiles afterwards.
 * @module
 */
import autocannon from 'autocannon'

/**
 * @typedef {object} CannonRound
 * @property {object} raw autocannon's unaggregated result (encoded histograms), or the
 *   aggregated one when it ran in a worker thread
 * @property {number} seconds wall-clock duration of the round
 * @property {Record<string, number>} statuses count per status code
 * @property {number} errors transport errors and timeouts
 */

/**
 * @param {import('autocannon').Options & { workers?: number }} opts
 * @returns {Promise<CannonRound>}
 */
export async function cannon(opts) {
	const started = performance.now()
	// Worker threads keep the main thread free (for a paced sender running alongside) but
	// cannot take functions and always aggregate their own result.
	const raw = await autocannon({ timeout: 15, ...opts, skipAggregateResult: !opts.workers })
	/** @type {Record<string, number>} */
	const statuses = {}
	for (const [code, { count }] of Object.entries(raw.statusCodeStats ?? {})) statuses[code] = count
	return {
		raw,
		seconds: (performance.now() - started) / 1000,
		statuses,
		errors: (raw.errors ?? 0) + (raw.timeouts ?? 0),
	}
}

/**
 * Latency percentiles over several main-thread rounds, from their merged histograms.
 * @param {CannonRound[]} rounds
 * @returns {{ p50: number, p99: number }}
 */
export function mergedLatency(rounds) {
	if (rounds.length === 0) return { p50: Number.NaN, p99: Number.NaN }
	if (rounds[0].raw.latency) {
		// Worker-thread rounds come pre-aggregated: the best available is the mean.
		const mean = (/** @type {'p50'|'p99'} */ k) =>
			rounds.reduce((s, r) => s + r.raw.latency[k], 0) / rounds.length
		return { p50: mean('p50'), p99: mean('p99') }
	}
	// aggregateResult sums status counts into the first round's objects; give it copies.
	const agg = autocannon.aggregateResult(
		rounds.map((r) => ({ ...r.raw, statusCodeStats: structuredClone(r.raw.statusCodeStats) })),
		// Only a label in the aggregate; autocannon insists on one.
		{ url: 'http://127.0.0.1' },
	)
	return { p50: agg.latency.p50, p99: agg.latency.p99 }
}
