/**
 * naive: the reference design the issue measures the accept target against, on the same
 * runtime in the same run: per request, one awaited Durable Object storage write and one
 * awaited queue send, with a consumer that only acknowledges (bench/baseline/worker.ts,
 * `/naive/:id`). Same load as `accept`: 1 KB JSON over 40 objects, closed loop, c=16,
 * against the bare route. It calibrates this machine: whatever ratio it gets is what the
 * runtime itself charges for one DO write and one queue message. A second row does the
 * same with the Durable Object round trip alone: the ceiling of any design that admits
 * each request in a DO before answering, as SPEC's exact per-endpoint window requires.
 * A third does one queue send alone, the only other durable hand-off on the runtime.
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
	summary:
		'reference designs vs bare: 1 DO write + 1 queue send per request; a DO round trip alone; a queue send alone',
	async run(ctx) {
		return [
			await reference(ctx, {
				scenario: 'accept: naive design',
				route: 'naive',
				note: '1 DO write + 1 queue send',
			}),
			await reference(ctx, {
				scenario: 'accept: DO round trip only',
				route: 'roundtrip',
				note: 'the body sent to a DO and its answer awaited, nothing stored or queued (the floor of any design that admits in a DO)',
			}),
			await reference(ctx, {
				scenario: 'accept: queue send only',
				route: 'enqueue',
				note: 'one awaited queue send, no DO (the floor of any design that answers once the request is queued)',
			}),
		]
	},
}

/**
 * One reference route of the baseline Worker against its bare route, interleaved.
 * @param {import('./context.mjs').Context} ctx
 * @param {{ scenario: string, route: string, note: string }} what
 */
async function reference(ctx, { scenario, route, note }) {
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
							path: side === 'gateway' ? `/${route}/o${n++ % OBJECTS}` : '/bare',
						}),
					},
				],
			}),
		// The naive consumer only acks; a short pause lets the queue empty before the next round.
		settle: async () => {
			await new Promise((r) => setTimeout(r, 1000))
			return 1000
		},
		log: ctx.log,
	})
	const g = closedLoopTotals(ab.gateway)
	const b = closedLoopTotals(ab.baseline)
	return row({
		scenario,
		rps: g.ok / g.seconds,
		p50: g.latency.p50,
		p99: g.latency.p99,
		baselineRps: b.ok / b.seconds,
		notes: [
			`reference, not the gateway: ${note}, ${OBJECTS} objects, c=${CONNECTIONS}`,
			describeStatuses(g.statuses),
		],
		details: closedLoopDetails(g, b),
	})
}
