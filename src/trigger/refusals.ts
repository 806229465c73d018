/**
 * Counts requests turned away in the isolate (401 and 403 with their reasons, 429
 * answered from the saturation cache, requests a flow's filter dropped) for the console
 * and the admin API, without a Durable Object round trip per request: counts are summed
 * in the isolate and reported at most once a second per endpoint, in the background.
 * @module
 */
import {
	noRefusals,
	type RefusalCounts,
	type RefusalKind,
	type RefusalReason,
} from '../endpoint/activity'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'

const pending = new Map<string, RefusalCounts>()

export function countRefusal(
	env: Env,
	ctx: { waitUntil(promise: Promise<unknown>): void },
	endpointId: string,
	kind: RefusalKind,
	reason?: RefusalReason,
): void {
	let counts = pending.get(endpointId)
	const first = !counts
	counts ??= noRefusals()
	counts[kind]++
	if (reason) counts.reasons[reason]++
	if (!first) return
	pending.set(endpointId, counts)
	const report = counts
	ctx.waitUntil(
		new Promise((resolve) => setTimeout(resolve, 1000))
			.then(() => {
				// `report` is the entry later refusals added to; from here a new one starts.
				pending.delete(endpointId)
				return endpointStub(env, endpointId).reportRefusals(report)
			})
			.catch(() => {
				// Counters are best effort; a lost report changes no decision.
			}),
	)
}
