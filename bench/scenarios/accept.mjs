/**
 * accept: how fast the gateway takes in ordinary asynchronous webhooks. 1 KB JSON bodies,
 * GitHub-signed, each with its own delivery id, spread over 40+ endpoints (so 40+
 * Durable Objects) with their rate limits raised out of the way; closed loop, as fast
 * as the gateway answers.
 * @module
 */
import { cannon } from '../lib/cannon.mjs'
import { githubHeaders, withDelivery } from '../lib/fixtures.mjs'
import { interleave } from '../lib/interleave.mjs'
import { jsonBody } from '../lib/payloads.mjs'
import { row } from '../lib/report.mjs'
import { countStatuses, percentile } from '../lib/stats.mjs'
import {
	closedLoopDetails,
	closedLoopTotals,
	countRange,
	describeStatuses,
	originOf,
	pacedAB,
	pacedSeconds,
} from './context.mjs'

const CONNECTIONS = 16
const VARIANTS = 64
/** Well under the gateway's closed-loop rate here, so latency is the path's, not a queue's. */
const PACED_RATE = 400

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'accept',
	summary: 'async 1 KB signed POSTs over 40+ endpoints, closed loop',
	async run(ctx) {
		const { pool, secret } = ctx.fx
		const bodies = Array.from({ length: VARIANTS }, (_, i) => {
			const body = jsonBody(1024, `d${i}`)
			return { body, headers: githubHeaders(body, secret) }
		})
		let n = 0
		const opts = (/** @type {string} */ url) => ({
			url,
			connections: CONNECTIONS,
			duration: ctx.seconds,
			method: /** @type {const} */ ('POST'),
			requests: [
				{
					setupRequest(/** @type {any} */ req) {
						const i = n++
						// Every endpoint in turn; bodies at a stride coprime to their count, so
						// the (endpoint, body) pairs keep changing.
						const b = bodies[(i * 7) % VARIANTS]
						return {
							...req,
							path: `/trigger/${pool[i % pool.length]}`,
							headers: withDelivery(b.headers),
							body: b.body,
						}
					},
				},
			],
		})
		const ab = await interleave({
			rounds: ctx.rounds,
			run: (side) => cannon(opts(originOf(ctx, side))),
			settle: () => ctx.admin.drain(ctx.drainMs),
			log: ctx.log,
		})
		const g = closedLoopTotals(ab.gateway)
		const b = closedLoopTotals(ab.baseline)
		const drained = ab.settleMs.filter((ms) => ms !== null)
		const notes = [
			`${pool.length} endpoints, ${ctx.fx.authNote}, c=${CONNECTIONS}`,
			describeStatuses(g.statuses),
			`bare p99 ${b.latency.p99} ms (in a closed loop, latency follows throughput)`,
			drained.length === ab.settleMs.length
				? `queue drained ${(Math.max(...drained) / 1000).toFixed(1)} s after a round at worst`
				: `queue NOT drained within ${ctx.drainMs / 1000} s after ${ab.settleMs.length - drained.length} round(s)`,
		]
		return [
			row({
				scenario: 'accept',
				rps: g.ok / g.seconds,
				p50: g.latency.p50,
				p99: g.latency.p99,
				baselineRps: b.ok / b.seconds,
				notes,
				details: {
					endpoints: pool.length,
					auth: ctx.fx.authNote,
					connections: CONNECTIONS,
					bodyBytes: 1024,
					...closedLoopDetails(g, b),
					perRound: ab.gateway.map((r, i) => ({
						gatewayRps: countRange(r.statuses, 200, 299) / r.seconds,
						baselineRps: countRange(ab.baseline[i].statuses, 200, 299) / ab.baseline[i].seconds,
					})),
					drainMs: ab.settleMs,
					endToEndRps:
						drained.length === ab.settleMs.length
							? g.ok / (g.seconds + drained.reduce((s, ms) => s + ms, 0) / 1000)
							: null,
				},
			}),
			await pacedLatency(ctx, bodies),
		]
	},
}

/**
 * The "p99 ≤ bare p99 + 5 ms", measured where it means something: at a rate both
 * sides sustain, evenly paced, so each latency is one request's own path (a closed loop at
 * saturation measures its queue instead).
 * @param {import('./context.mjs').Context} ctx
 * @param {Array<{ body: string, headers: Record<string, string> }>} bodies
 */
async function pacedLatency(ctx, bodies) {
	const { pool } = ctx.fx
	let n = 0
	let current = bodies[0]
	const ab = await pacedAB(ctx, {
		rate: PACED_RATE,
		path: () => {
			const i = n++
			current = bodies[(i * 7) % VARIANTS]
			return `/trigger/${pool[i % pool.length]}`
		},
		init: () => ({ method: 'POST', headers: withDelivery(current.headers), body: current.body }),
		settle: () => ctx.admin.drain(ctx.drainMs),
	})
	const g = ab.gateway.flatMap((r) => r.samples)
	const b = ab.baseline.flatMap((r) => r.samples)
	const statuses = countStatuses(g.map((x) => x.status))
	const latency = g.map((x) => x.latencyMs)
	const gp99 = percentile(latency, 99)
	const bp99 = percentile(
		b.map((x) => x.latencyMs),
		99,
	)
	return row({
		scenario: `accept: latency at ${PACED_RATE} rps`,
		rps: (statuses[200] ?? 0) / pacedSeconds(ab.gateway),
		p50: percentile(latency, 50),
		p99: gp99,
		baselineRps: b.filter((x) => x.status === 200).length / pacedSeconds(ab.baseline),
		notes: [
			`${PACED_RATE} rps paced over ${pool.length} endpoints, same signed bodies`,
			describeStatuses(statuses),
			`bare p99 ${bp99.toFixed(1)} ms: gateway p99 ${gp99 <= bp99 + 5 ? 'within' : 'OVER'} bare + 5 ms (+${(gp99 - bp99).toFixed(1)})`,
		],
		details: { offeredRps: PACED_RATE, statuses, baselineP99: bp99 },
	})
}
