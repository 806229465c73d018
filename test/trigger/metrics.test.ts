import { describe, expect, it } from 'vitest'
import { outcomeOf } from '../../src/trigger/metrics'

describe('request outcomes for metrics', () => {
	it.each([
		[200, true, 'accepted'],
		[202, true, 'accepted'],
		[200, false, 'handshake'],
		[303, true, 'sync'],
		[400, true, 'sync'],
		[400, false, 'bad_request'],
		[401, false, 'unauthorized'],
		[403, false, 'bad_request'],
		[404, false, 'not_found'],
		[413, false, 'too_large'],
		[429, false, 'rate_limited'],
		[503, false, 'unavailable'],
		[500, false, 'error'],
	])('%i (execution: %s) → %s', (status, hasExecution, outcome) => {
		expect(outcomeOf(status, hasExecution)).toBe(outcome)
	})

	it.each([
		['HEAD', 200, 'probe'],
		['OPTIONS', 204, 'probe'],
		['HEAD', 404, 'not_found'],
		['TRACE', 405, 'bad_request'],
		['GET', 200, 'handshake'],
	])('%s %i → %s', (method, status, outcome) => {
		expect(outcomeOf(status, false, method)).toBe(outcome)
	})
})
