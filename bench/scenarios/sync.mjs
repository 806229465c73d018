/**
 * sync: the echo flow invoked synchronously (`triggerflare-synchronous: true`) at a
 * steady rate well under capacity, so the latency is the path's own: accept, queue,
 * consumer, flow, result to R2, the Durable Object waking the waiting request, then the
 * 303. Measured to the 303 (not following it); a few result URLs are fetched afterwards
 * to check they serve the result.
 * @module
 */
import { githubHeaders, withDelivery } from '../lib/fixtures.mjs'
import { jsonBody } from '../lib/payloads.mjs'
import { row } from '../lib/report.mjs'
import { countStatuses, percentile } from '../lib/stats.mjs'
import { describeStatuses, pacedAB, pacedSeconds } from './context.mjs'

const RATE = 50

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'sync',
	summary: `echo flow invoked synchronously at ${RATE} rps, time to the 303`,
	async run(ctx) {
		const { pool, secret } = ctx.fx
		const body = jsonBody(1024, 'sync')
		const headers = { ...githubHeaders(body, secret), 'triggerflare-synchronous': 'true' }
		// The pool's echo endpoints only: a sync call to another flow measures that flow.
		const echo = await echoEndpoints(ctx, pool)
		let n = 0
		const ab = await pacedAB(ctx, {
			rate: RATE,
			path: () => `/trigger/${echo[n++ % echo.length]}`,
			init: () => ({ method: 'POST', headers: withDelivery(headers), body }),
			settle: () => ctx.admin.drain(ctx.drainMs),
		})
		const g = ab.gateway.flatMap((r) => r.samples)
		const b = ab.baseline.flatMap((r) => r.samples)
		const statuses = countStatuses(g.map((s) => s.status))
		const redirected = g.filter((s) => s.status === 303)
		const lat = redirected.map((s) => s.latencyMs)
		const results = await checkResults(redirected.slice(-5).map((s) => s.location))
		const overhead = await overheadOverFlow(ctx, echo, redirected)
		return [
			row({
				scenario: 'sync',
				rps: redirected.length / pacedSeconds(ab.gateway),
				p50: percentile(lat, 50),
				p99: percentile(lat, 99),
				baselineRps: b.filter((s) => s.status === 200).length / pacedSeconds(ab.baseline),
				notes: [
					`${RATE} rps offered over ${echo.length} echo endpoints`,
					describeStatuses(statuses),
					`result URLs: ${results}`,
					overhead.count === redirected.length
						? `minus each execution's run time (record startedAt → finishedAt: the flow and storing its result, median ${overhead.flowP50} ms): overhead p50 ${overhead.p50} ms, p99 ${overhead.p99} ms`
						: `flow time found for ${overhead.count}/${redirected.length} only`,
					`baseline p50 ${percentile(
						b.map((s) => s.latencyMs),
						50,
					).toFixed(1)} ms`,
				],
				details: {
					offeredRps: RATE,
					statuses,
					resultCheck: results,
					overhead,
					baselineP99: percentile(
						b.map((s) => s.latencyMs),
						99,
					),
					drainMs: ab.settleMs,
				},
			}),
		]
	},
}

/** The pool endpoints whose flow is echo (read back through the admin API). */
async function echoEndpoints(ctx, pool) {
	const flows = await Promise.all(pool.map((id) => ctx.admin.ok('GET', `/api/endpoints/${id}`)))
	const echo = pool.filter((_, i) => flows[i].flow === 'echo')
	return echo.length ? echo : pool
}

/**
 * The issue asks for the time to the 303 minus the flow's own time. Each 303 names its
 * execution; its record says when the attempt started and finished (ms). That span also
 * covers storing the result in R2, so what is left is the path's overhead or a little less.
 * @param {import('./context.mjs').Context} ctx
 * @param {string[]} endpoints
 * @param {import('../lib/paced.mjs').Sample[]} samples
 */
async function overheadOverFlow(ctx, endpoints, samples) {
	const records = new Map()
	for (const endpoint of endpoints) {
		for (const e of await ctx.admin.listExecutions({ endpoint })) records.set(e.id, e)
	}
	const flowMs = []
	const overheads = []
	for (const s of samples) {
		const e = s.executionId ? records.get(s.executionId) : undefined
		if (!e?.startedAt || !e.finishedAt) continue
		const ms = Date.parse(e.finishedAt) - Date.parse(e.startedAt)
		flowMs.push(ms)
		overheads.push(s.latencyMs - ms)
	}
	const at = (xs, p) => (xs.length ? Number(percentile(xs, p).toFixed(1)) : null)
	return {
		count: overheads.length,
		flowP50: at(flowMs, 50),
		flowP99: at(flowMs, 99),
		p50: at(overheads, 50),
		p99: at(overheads, 99),
	}
}

/** Follows a few 303s: each should serve the flow's result. */
async function checkResults(locations) {
	const statuses = []
	for (const loc of locations) {
		if (!loc) continue
		const res = await fetch(loc.replace('localhost', '127.0.0.1'))
		await res.arrayBuffer()
		statuses.push(res.status)
	}
	return statuses.length ? `GET → ${statuses.join(',')}` : 'none to check'
}
