import { jsonBody } from '../lib/payloads.mjs'
import { row, skipped } from '../lib/report.mjs'
import { countStatuses, percentile } from '../lib/stats.mjs'
import { describeStatuses, originOf, pacedAB, pacedSeconds } from './context.mjs'

const RATE = 100

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'fifo',
	summary: `one FIFO endpoint at ${RATE} rps: accept rate, order, lane throughput`,
	async run(ctx) {
		const endpoint = ctx.fx.fifo
		const patched = await ctx.admin.patchEndpoint(endpoint, {
			fifo: true,
			rateLimit: { requestsPerSecond: 1000 },
		})
		if (patched.status === 400) return [skipped('fifo', 'not implemented (PATCH fifo → 400)')]
		if (patched.status !== 200) return [skipped('fifo', `PATCH fifo → ${patched.status}`)]
		const body = jsonBody(1024, 'fifo')
		const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body }
		const ab = await pacedAB(ctx, {
			rate: RATE,
			path: () => `/trigger/${endpoint}`,
			init: () => init,
			// A lane runs one execution at a time, so it may take longer than the others.
			settle: () => ctx.admin.drain(ctx.drainMs * 2, endpoint),
		})
		const g = ab.gateway.flatMap((r) => r.samples)
		const b = ab.baseline.flatMap((r) => r.samples)
		const statuses = countStatuses(g.map((s) => s.status))
		const lat = g.map((s) => s.latencyMs)

		const records = (await ctx.admin.listExecutions({ endpoint })).sort(
			(x, y) => x.sequence - y.sequence,
		)
		const lane = judgeLane(records)
		const drained = ab.settleMs.every((ms) => ms !== null)
		const bursts = await lanesVersusParallel(ctx, endpoint, body)
		return [
			...bursts,
			row({
				scenario: 'fifo',
				rps: (statuses[200] ?? 0) / pacedSeconds(ab.gateway),
				p50: percentile(lat, 50),
				p99: percentile(lat, 99),
				baselineRps: b.filter((s) => s.status === 200).length / pacedSeconds(ab.baseline),
				notes: [
					`${RATE} rps offered`,
					describeStatuses(statuses),
					`${lane.finished}/${records.length} finished, ${lane.overlaps} out of order or overlapping`,
					lane.execPerSecond === null
						? 'lane never backlogged: capacity not measured'
						: `lane capacity ~${lane.execPerSecond.toFixed(0)} exec/s (run ${lane.medianRunMs} ms + hand-off ${lane.medianHandoffMs} ms, median)`,
					drained ? '' : 'lane NOT drained in time',
				],
				details: { offeredRps: RATE, statuses, lane, drainMs: ab.settleMs },
			}),
		]
	},
}

const BURST = 200
const LANES = 20

/**
 * The same backlog of no-op (`echo`) executions drained three ways in the same run: by
 * one FIFO lane, by 20 keyed lanes of the same endpoint, and by a non-FIFO endpoint of the
 * same flow. Executions per second from the first acceptance to the last finish. The
 * "baseline" column of these rows is the non-FIFO endpoint, not the bare Worker.
 * @param {import('./context.mjs').Context} ctx
 * @param {string} fifoEndpoint
 * @param {string} body
 */
async function lanesVersusParallel(ctx, fifoEndpoint, body) {
	const created = await ctx.admin.createInstance('examples')
	const plain = created.find((e) => e.flow === 'echo')?.id
	if (!plain) return [skipped('fifo: lane vs non-FIFO', 'no echo endpoint')]
	await ctx.admin.patchEndpoint(plain, { rateLimit: { requestsPerSecond: 1000 } })
	const lane = await drainBurst(ctx, fifoEndpoint, body, () => ({}))
	const parallel = await drainBurst(ctx, plain, body, () => ({}))
	const keyed = await ctx.admin.patchEndpoint(fifoEndpoint, { fifo: { key: 'header:x-lane' } })
	const lanes =
		keyed.status === 200
			? await drainBurst(ctx, fifoEndpoint, body, (i) => ({ 'x-lane': `lane-${i % LANES}` }))
			: null
	const versus = `vs non-FIFO ${parallel.count} done (baseline column = non-FIFO)`
	return [
		row({
			scenario: 'fifo: lane vs non-FIFO',
			rps: lane.perSecond,
			baselineRps: parallel.perSecond,
			notes: [
				`${BURST} no-op executions queued at once; executions/s first accept → last finish`,
				`one FIFO lane ${lane.count} done, ${lane.disorder} out of order or overlapping`,
				versus,
			],
			details: { lane, parallel },
		}),
		lanes === null
			? skipped(`fifo: ${LANES} lanes vs non-FIFO`, `PATCH keyed fifo → ${keyed.status}`)
			: row({
					scenario: `fifo: ${LANES} lanes vs non-FIFO`,
					rps: lanes.perSecond,
					baselineRps: parallel.perSecond,
					notes: [
						`${BURST} no-op executions queued at once, round-robin over ${LANES} keys (fifo key header:x-lane)`,
						`${lanes.count} done in ${lanes.lanes} lanes, ${lanes.disorder} out of order or overlapping within a lane`,
						versus,
					],
					details: { lanes, parallel },
				}),
	]
}

/**
 * Posts `BURST` requests 20 at a time, waits for the endpoint to drain, and measures from
 * the records: executions/s from the first acceptance to the last finish, and, per lane,
 * how many executions started before their predecessor in sequence had finished.
 * @param {import('./context.mjs').Context} ctx
 * @param {string} endpoint
 * @param {string} body
 * @param {(i: number) => Record<string, string>} headersOf extra headers of the i-th request
 */
async function drainBurst(ctx, endpoint, body, headersOf) {
	const before = new Set((await ctx.admin.listExecutions({ endpoint })).map((e) => e.id))
	const url = `${originOf(ctx, 'gateway')}/trigger/${endpoint}`
	for (let i = 0; i < BURST; i += 20) {
		await Promise.all(
			Array.from({ length: Math.min(20, BURST - i) }, (_, k) =>
				fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', ...headersOf(i + k) },
					body,
				}).then((r) => r.arrayBuffer()),
			),
		)
	}
	await ctx.admin.drain(60_000, endpoint)
	const runs = (await ctx.admin.listExecutions({ endpoint })).filter(
		(e) => !before.has(e.id) && e.finishedAt,
	)
	const first = Math.min(...runs.map((e) => Date.parse(e.receivedAt)))
	const last = Math.max(...runs.map((e) => Date.parse(e.finishedAt)))
	const byLane = Map.groupBy(runs, (e) => e.lane ?? '')
	let disorder = 0
	for (const records of byLane.values()) {
		records.sort((x, y) => x.sequence - y.sequence)
		for (let i = 1; i < records.length; i++) {
			if (Date.parse(records[i].startedAt) < Date.parse(records[i - 1].finishedAt)) disorder++
		}
	}
	return {
		count: runs.length,
		lanes: byLane.size,
		disorder,
		perSecond: (runs.length * 1000) / Math.max(1, last - first),
	}
}

/**
 * Order and pace from the records, sorted by sequence. A hand-off is the time from one
 * execution finishing to the next starting, counted only when the next was already
 * waiting (received before its predecessor finished); otherwise the lane was idle, not
 * slow. The lane's capacity is one execution per (median run + median hand-off).
 * @param {any[]} records
 */
function judgeLane(records) {
	const at = (/** @type {string | null} */ iso) => (iso ? Date.parse(iso) : Number.NaN)
	const done = records.filter((e) => e.startedAt && e.finishedAt)
	let overlaps = 0
	const runs = []
	const handoffs = []
	for (let i = 0; i < done.length; i++) {
		const start = at(done[i].startedAt)
		runs.push(at(done[i].finishedAt) - start)
		if (i === 0) continue
		const prevEnd = at(done[i - 1].finishedAt)
		if (start < prevEnd) overlaps++
		else if (at(done[i].receivedAt) <= prevEnd) handoffs.push(start - prevEnd)
	}
	const run = runs.length ? percentile(runs, 50) : null
	const handoff = handoffs.length ? percentile(handoffs, 50) : null
	return {
		finished: done.length,
		overlaps,
		backlogged: handoffs.length,
		medianRunMs: run,
		medianHandoffMs: handoff,
		execPerSecond: run !== null && handoff !== null ? 1000 / Math.max(1, run + handoff) : null,
	}
}
