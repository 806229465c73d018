/**
 * naive: the reference design the issue measures the accept target against, on the same
 * runtime in the same run: per request, one awaited Durable Object storage write and one
 * awaited queue send, with a consumer that only acknowledges (bench/baseline/worker.ts,
 * `/naive/:id`). Same load as `accept`: 1 KB JSON over 40 objects, closed loop, c=16,
 * against the bare route. It calibrates this machine: whatever ratio it gets is what the
 * runtime itself charges for one DO write and one queue message.
 * @module
 */
import { cannon } from '../lib/cannon.mjs'
import { interleave } from '../lib/interleave.mjs'
import { jsonBody } from '../lib/payloads.mjs'
import { row } from '../lib/report.mjs'
import { closedLoopDetails, closedLoopTotals, describeStatuses } from './context.mjs'

const CONNECTIONS = 16
const OBJECTS = 40

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'naive',
	summary: 'the naive reference design (1 DO write + 1 queue send per request) vs bare',
	async run(ctx) {
		const body = jsonBody(1024, 'naive')
		let n = 0
		const ab = await interleave({
			rounds: ctx.rounds,
			run: (side) =>
				cannon({
					url: ctx.rt.baselineUrl,
					connections: CONNECTIONS,
					duration: ctx.seconds,
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body,
					requests: [
						{
							setupRequest: (/** @type {any} */ req) => ({
								...req,
								path: side === 'gateway' ? `/naive/o${n++ % OBJECTS}` : '/bare',
							}),
						},
					],
				}),
			// Its consumer only acks; a short pause lets the queue empty before the next round.
			settle: async () => {
				await new Promise((r) => setTimeout(r, 1000))
				return 1000
			},
			log: ctx.log,
		})
		const g = closedLoopTotals(ab.gateway)
		const b = closedLoopTotals(ab.baseline)
		return [
			row({
				scenario: 'accept: naive design',
				rps: g.ok / g.seconds,
				p50: g.latency.p50,
				p99: g.latency.p99,
				baselineRps: b.ok / b.seconds,
				notes: [
					`reference, not the gateway: 1 DO write + 1 queue send, ${OBJECTS} objects, c=${CONNECTIONS}`,
					describeStatuses(g.statuses),
				],
				details: closedLoopDetails(g, b),
			}),
		]
	},
}
