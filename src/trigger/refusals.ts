/**
 * Counts requests turned away in the isolate (401, 429 answered from the saturation
 * cache, requests a flow's filter dropped) for the console, without a Durable Object
 * round trip per request: counts are summed in the isolate and reported at most once a
 * second per endpoint, in the background.
 * @module
 */
import { noRefusals, type RefusalCounts } from '../endpoint/activity'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'

const pending = new Map<string, RefusalCounts>()

export function countRefusal(
	env: Env,
	ctx: { waitUntil(promise: Promise<unknown>): void },
	endpointId: string,
	kind: keyof RefusalCounts,
): void {
	const current = pending.get(endpointId)
	if (current) {
		current[kind]++
		return
	}
	const counts = noRefusals()
	counts[kind]++
	pending.set(endpointId, counts)
	ctx.waitUntil(
		new Promise((resolve) => setTimeout(resolve, 1000))
			.then(() => {
				// `counts` is the entry later refusals added to; from here a new one starts.
				pending.delete(endpointId)
				return endpointStub(env, endpointId).reportRefusals(counts)
			})
			.catch(() => {
				// Console counters are best effort; a lost report changes no decision.
			}),
	)
}
