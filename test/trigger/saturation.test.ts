import { describe, expect, it } from 'vitest'
import { forgetSaturation, knownSaturation, noteSaturated } from '../../src/trigger/saturation'

describe('saturation cache', () => {
	it('refuses until the moment the DO said the window has room, then lets the DO decide', () => {
		noteSaturated('ep-a', 10_000, { retryAfterMs: 400, limit: 50 })
		expect(knownSaturation('ep-a', 10_000)).toEqual({ retryAfterMs: 400, limit: 50 })
		expect(knownSaturation('ep-a', 10_399)).toEqual({ retryAfterMs: 1, limit: 50 })
		expect(knownSaturation('ep-a', 10_400)).toBeNull()
		// Expired entries are dropped, not kept around.
		expect(knownSaturation('ep-a', 10_000)).toBeNull()
	})

	it('is per endpoint, and forgotten when the endpoint changes', () => {
		noteSaturated('ep-b', 0, { retryAfterMs: 1000, limit: 5 })
		expect(knownSaturation('ep-c', 10)).toBeNull()
		forgetSaturation('ep-b')
		expect(knownSaturation('ep-b', 10)).toBeNull()
	})
})
