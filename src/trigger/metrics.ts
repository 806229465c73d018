/**
 * One Analytics Engine data point per trigger request, so operators can chart
 * accept / 401 / 429 / 5xx rates per endpoint. Blobs: endpoint id, outcome, method;
 * doubles: count (1), status, latency in ms. Index: the endpoint id (sampling key).
 * Nothing from the payload or its headers is ever written.
 * @module
 */
import type { Env } from '../env'

export type Outcome =
	| 'accepted'
	| 'sync'
	| 'handshake'
	| 'probe'
	| 'duplicate'
	| 'bad_request'
	| 'unauthorized'
	| 'not_found'
	| 'too_large'
	| 'rate_limited'
	| 'unavailable'
	| 'error'

export function outcomeOf(status: number, hasExecution: boolean, method = 'POST'): Outcome {
	// HEAD and OPTIONS deliver nothing: their successes are probes, not handshakes.
	if (status < 300 && (method === 'HEAD' || method === 'OPTIONS')) return 'probe'
	if (status === 401) return 'unauthorized'
	if (status === 404) return 'not_found'
	if (status === 413) return 'too_large'
	if (status === 429) return 'rate_limited'
	if (status === 503) return 'unavailable'
	if (status >= 500) return 'error'
	if (status === 303 || (hasExecution && status === 400)) return 'sync'
	if (status >= 400) return 'bad_request'
	return hasExecution ? 'accepted' : 'handshake'
}

export function recordOutcome(
	env: Env,
	endpointId: string,
	method: string,
	status: number,
	hasExecution: boolean,
	startedAt: number,
): void {
	try {
		env.METRICS?.writeDataPoint({
			indexes: [endpointId.slice(0, 96)],
			blobs: [endpointId, outcomeOf(status, hasExecution, method), method],
			doubles: [1, status, Date.now() - startedAt],
		})
	} catch {
		// Metrics never fail a webhook.
	}
}
