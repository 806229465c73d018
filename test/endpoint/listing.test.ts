import { describe, expect, it } from 'vitest'
import { listFilter, pageLimit } from '../../src/endpoint/listing'
import { MAX_PAGE_SIZE } from '../../src/limits'

describe('listFilter', () => {
	it('has no condition for an unfiltered first page', () => {
		expect(listFilter('b', { limit: 10 })).toEqual({ where: '', params: [] })
	})

	it('filters by status and time range', () => {
		expect(listFilter('b', { limit: 10, status: 'failed', from: 5, to: 9 })).toEqual({
			where: 'WHERE status = ? AND received_at >= ? AND received_at <= ?',
			params: ['failed', 5, 9],
		})
	})

	it('places its rows against a cursor by (receivedAt, endpointId, seq), descending', () => {
		const before = { t: 100, e: 'b', s: 7 }
		// A cursor from an endpoint ordered after this one: this one's rows at the cursor's
		// time come after it.
		expect(listFilter('a', { limit: 10, before })).toEqual({
			where: 'WHERE received_at <= ?',
			params: [100],
		})
		expect(listFilter('c', { limit: 10, before })).toEqual({
			where: 'WHERE received_at < ?',
			params: [100],
		})
		expect(listFilter('b', { limit: 10, before })).toEqual({
			where: 'WHERE (received_at < ? OR (received_at = ? AND seq < ?))',
			params: [100, 100, 7],
		})
	})
})

describe('pageLimit', () => {
	it('reads what the caller asks for, within bounds', () => {
		expect(pageLimit({ limit: 0 })).toBe(1)
		expect(pageLimit({ limit: 20 })).toBe(20)
		expect(pageLimit({ limit: 10_000 })).toBe(MAX_PAGE_SIZE + 1)
	})
})
