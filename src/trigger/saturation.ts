/**
 * Endpoints this isolate knows to be full. When the EndpointDO refuses a request it says
 * exactly when its rolling window next has room: the moment its oldest admission leaves
 * the window. Nothing frees a slot sooner (admissions only ever add newer entries), so
 * until then the DO would refuse every request, and this isolate answers the same 429
 * itself instead of asking it again. The window stays exact: the DO still makes every
 * admission, and this cache can only refuse what the DO would have refused.
 *
 * The cost is a Map lookup, which is what makes refusing under a flood nearly free: a
 * flooded endpoint's DO sees one request per freed slot instead of the whole flood.
 * @module
 */

export interface Saturation {
	/** ms until the window has room again */
	retryAfterMs: number
	limit: number
}

const fullUntil = new Map<string, { until: number; limit: number }>()
/** An isolate serves many endpoints; a flood of distinct ids must not grow this forever. */
const MAX_ENTRIES = 10_000

/** The refusal to give now, or null when the endpoint's DO has to decide. */
export function knownSaturation(endpointId: string, now: number): Saturation | null {
	const entry = fullUntil.get(endpointId)
	if (!entry) return null
	if (entry.until <= now) {
		fullUntil.delete(endpointId)
		return null
	}
	return { retryAfterMs: entry.until - now, limit: entry.limit }
}

/** Remembers a refusal the DO gave at `now` (the isolate's clock at the request's start). */
export function noteSaturated(endpointId: string, now: number, refusal: Saturation): void {
	if (fullUntil.size >= MAX_ENTRIES) fullUntil.clear()
	fullUntil.set(endpointId, { until: now + refusal.retryAfterMs, limit: refusal.limit })
}

/** Forgets an endpoint (its limit changed, or it was deleted). */
export function forgetSaturation(endpointId: string): void {
	fullUntil.delete(endpointId)
}
