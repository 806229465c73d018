import { paced } from '../lib/paced.mjs'
import { jsonBody } from '../lib/payloads.mjs'
import { row } from '../lib/report.mjs'
import { countStatuses, percentile } from '../lib/stats.mjs'
import { longestStarvation, maxInWindow, minInWindow } from '../lib/window.mjs'
import { describeStatuses, pacedAB } from './context.mjs'

const LIMIT = 50
const RATE = LIMIT * 10
const WINDOW_MS = 1000

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'hot',
	summary: `one endpoint (limit ${LIMIT}/s) flooded at a constant ${RATE} rps`,
	async run(ctx) {
		const endpoint = ctx.fx.hot
		const body = jsonBody(1024, 'hot')
		const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body }
		const ab = await pacedAB(ctx, {
			rate: RATE,
			path: () => `/trigger/${endpoint}`,
			init: () => init,
			settle: () => ctx.admin.drain(ctx.drainMs, endpoint),
		})

		const flat = (/** @type {import('../lib/paced.mjs').PacedRun[]} */ runs) => ({
			samples: runs.flatMap((r) => r.samples),
			seconds: runs.reduce((s, r) => s + r.seconds, 0),
			maxLagMs: Math.max(...runs.map((r) => r.maxLagMs)),
		})
		const g = flat(ab.gateway)
		const b = flat(ab.baseline)
		const statuses = countStatuses(g.samples.map((s) => s.status))

		const records = await ctx.admin.listExecutions({ endpoint })
		const admitted = records.map((e) => Date.parse(e.receivedAt))
		const exact = judgeWindow(admitted, ab.gateway)
		// A dip is the gateway's only if the generator kept sending while the limiter had room.
		const sends = ab.gateway.flatMap((r) => r.samples.map((x) => x.sentAt))
		const starved = exact.starved
		const clientGap = starved.start === null ? null : longestGap(sends, starved.start, starved.end)
		const ok = statuses[200] ?? 0
		const notes = [
			describeStatuses(statuses),
			`window max ${exact.max} (≤ ${LIMIT} ${exact.max <= LIMIT ? 'ok' : 'VIOLATED'})`,
			`min under demand ${exact.min} (≥ ${LIMIT - 1} ${exact.min >= LIMIT - 1 ? 'ok' : 'LOW'})`,
			starved.ms > 0
				? `longest stretch with room but no admission ${starved.ms} ms (generator's longest pause in it ${clientGap} ms)`
				: '',
			records.length === ok
				? `${records.length} records = 200s`
				: `${records.length} records ≠ ${ok} 200s`,
		]
		if (g.maxLagMs > 20) notes.push(`generator lagged up to ${g.maxLagMs.toFixed(0)} ms`)
		return [
			row({
				scenario: 'hot',
				rps: g.samples.length / g.seconds,
				p50: latency(g.samples, 50),
				p99: latency(g.samples, 99),
				baselineRps: b.samples.length / b.seconds,
				notes,
				details: {
					offeredRps: RATE,
					limit: LIMIT,
					statuses,
					admittedPerSecond: ok / g.seconds,
					records: records.length,
					window: { ...exact, generatorPauseInStarvationMs: clientGap },
					baseline: {
						statuses: countStatuses(b.samples.map((s) => s.status)),
						p50: latency(b.samples, 50),
						p99: latency(b.samples, 99),
					},
					p50ByStatus: {
						200: latency(
							g.samples.filter((s) => s.status === 200),
							50,
						),
						429: latency(
							g.samples.filter((s) => s.status === 429),
							50,
						),
					},
					generatorMaxLagMs: g.maxLagMs,
					drainMs: ab.settleMs,
				},
			}),
		]
	},
}

/** @param {import('../lib/paced.mjs').Sample[]} samples @param {number} p */
const latency = (samples, p) =>
	percentile(
		samples.map((s) => s.latencyMs),
		p,
	)

/** The longest stretch inside [from, to] with no event (ms). */
function longestGap(times, from, to) {
	const inside = times.filter((t) => t > from && t <= to).sort((a, b) => a - b)
	const edges = [from, ...inside, to]
	let gap = 0
	for (let i = 1; i < edges.length; i++) gap = Math.max(gap, edges[i] - edges[i - 1])
	return Math.round(gap)
}

/**
 * Max over every window of the whole run; min only over windows that lie inside one
 * round's flood: from a full window after that round's first admission to its last one.
 * @param {number[]} admitted
 * @param {import('../lib/paced.mjs').PacedRun[]} rounds
 */
function judgeWindow(admitted, rounds) {
	const { max, at: maxAt } = maxInWindow(admitted, WINDOW_MS)
	let min = Number.POSITIVE_INFINITY
	let minAt = null
	let starved = { ms: 0, start: null, end: null }
	const perRound = []
	for (const r of rounds) {
		// Responses can trail the last due time by the gateway's latency; a round's
		// admissions are those between its start and its last response.
		const last = Math.max(...r.samples.map((s) => s.at))
		const inRound = admitted.filter((t) => t >= r.startedAt - 5 && t <= last).sort((a, b) => a - b)
		if (inRound.length === 0) continue
		const from = inRound[0] + WINDOW_MS
		const to = Math.min(inRound[inRound.length - 1], r.endedAt)
		const m = minInWindow(inRound, from, to, WINDOW_MS)
		const s = longestStarvation(inRound, LIMIT, from, to, WINDOW_MS)
		perRound.push({ admitted: inRound.length, min: m.min, from, to, starvedMs: s.ms })
		if (m.min < min) {
			min = m.min
			minAt = m.at
		}
		if (s.ms > starved.ms) starved = s
	}
	return { max, maxAt, min, minAt, starved, perRound }
}
