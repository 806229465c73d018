/**
 * Counts requests refused at the edge (401) for the console without a Durable Object
 * round trip per request: counts are summed in the isolate and reported at most once a
 * second per endpoint, in the background.
 * @module
 */
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'

const pending = new Map<string, number>()

export function countUnauthorized(
	env: Env,
	ctx: { waitUntil(promise: Promise<unknown>): void },
	endpointId: string,
): void {
	const current = pending.get(endpointId)
	pending.set(endpointId, (current ?? 0) + 1)
	if (current !== undefined) return
	ctx.waitUntil(
		new Promise((resolve) => setTimeout(resolve, 1000))
			.then(() => {
				const n = pending.get(endpointId) ?? 0
				pending.delete(endpointId)
				return endpointStub(env, endpointId).reportRefusals(n)
			})
			.catch(() => {
				// Console counters are best effort; a lost report changes no decision.
			}),
	)
}
