import { describe, expect, it } from 'vitest'
import { resolvePolicy, retryDelaySeconds } from '../../src/execution/retry-policy'

describe('retry policy', () => {
	it('defaults to 3 attempts with exponential backoff from 1 s', () => {
		const p = resolvePolicy(undefined)
		expect(p.attempts).toBe(3)
		const noJitter = () => 0
		expect(retryDelaySeconds(p, 1, noJitter)).toBe(1)
		expect(retryDelaySeconds(p, 2, noJitter)).toBe(2)
		expect(retryDelaySeconds(p, 3, noJitter)).toBe(4)
	})

	it('adds at most the configured jitter', () => {
		const p = resolvePolicy({ jitter: 0.5, initialDelayMs: 10_000 })
		expect(retryDelaySeconds(p, 1, () => 0.999)).toBe(15)
		expect(retryDelaySeconds(p, 1, () => 0)).toBe(10)
	})

	it('caps delays at maxDelayMs and at the queue limit of 43,200 s', () => {
		expect(retryDelaySeconds(resolvePolicy({ maxDelayMs: 5_000 }), 10, () => 0)).toBe(5)
		const huge = resolvePolicy({ initialDelayMs: 30_000, factor: 30, maxDelayMs: 1e12, jitter: 0 })
		expect(retryDelaySeconds(huge, 6)).toBe(43_200)
	})

	it('sanitises nonsense policies', () => {
		const p = resolvePolicy({ attempts: 0, factor: 0.1, jitter: 5 })
		expect(p).toMatchObject({ attempts: 1, factor: 1, jitter: 1 })
	})
})
