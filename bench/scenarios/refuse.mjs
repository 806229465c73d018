/**
 * refuse: the 429 path's throughput. One endpoint at its default 50 rps limit is flooded
 * closed loop (as fast as the gateway answers), so nearly every request is refused; the
 * issue's target is ≥ 0.9× the bare Worker, i.e. refusing must be nearly free. The
 * limiter's exactness under a flood is the `hot` scenario's job (paced, judged from the
 * admission log); here the admitted count only has to stay within the limit.
 * @module
 */
import { cannon } from '../lib/cannon.mjs'
import { interleave } from '../lib/interleave.mjs'
import { jsonBody } from '../lib/payloads.mjs'
import { row } from '../lib/report.mjs'
import { closedLoopDetails, closedLoopTotals, describeStatuses, originOf } from './context.mjs'

const CONNECTIONS = 16
const LIMIT = 50

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'refuse',
	summary: `one endpoint (limit ${LIMIT}/s) flooded closed loop: the 429 path`,
	async run(ctx) {
		const endpoint = ctx.fx.flood
		const body = jsonBody(1024, 'flood')
		const ab = await interleave({
			rounds: ctx.rounds,
			run: (side) =>
				cannon({
					url: `${originOf(ctx, side)}/trigger/${endpoint}`,
					connections: CONNECTIONS,
					duration: ctx.seconds,
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body,
				}),
			settle: () => ctx.admin.drain(ctx.drainMs, endpoint),
			log: ctx.log,
		})
		const g = closedLoopTotals(ab.gateway)
		const b = closedLoopTotals(ab.baseline)
		const admitted = g.statuses[200] ?? 0
		// Each round can admit a full window at its start plus one per second after that.
		const allowed = ab.gateway.reduce((s, r) => s + LIMIT * Math.ceil(r.seconds + 1), 0)
		return [
			row({
				scenario: 'hot: 429 path',
				rps: g.rps,
				p50: g.latency.p50,
				p99: g.latency.p99,
				baselineRps: b.rps,
				notes: [
					`closed loop c=${CONNECTIONS}, no auth`,
					describeStatuses(g.statuses),
					`${(admitted / g.seconds).toFixed(1)} admitted/s (${admitted <= allowed ? 'within' : 'OVER'} the limit)`,
				],
				details: {
					...closedLoopDetails(g, b),
					drainMs: ab.settleMs,
				},
			}),
		]
	},
}
