/**
 * The filter of an execution listing, as plain data: a page may span several endpoints
 * (the admin API merges their pages), so its cursor orders by (receivedAt, endpointId,
 * seq), and each endpoint turns it into a condition on its own rows.
 * @module
 */
import { MAX_PAGE_SIZE } from '../limits'
import type { ListQuery } from './api'

/** The WHERE clause ('' for none) and its parameters, for endpoint `endpointId`. */
export function listFilter(
	endpointId: string,
	query: ListQuery,
): { where: string; params: SqlStorageValue[] } {
	const where: string[] = []
	const params: SqlStorageValue[] = []
	if (query.status) {
		where.push('status = ?')
		params.push(query.status)
	}
	if (query.from !== undefined) {
		where.push('received_at >= ?')
		params.push(query.from)
	}
	if (query.to !== undefined) {
		where.push('received_at <= ?')
		params.push(query.to)
	}
	if (query.before) {
		const { t, e, s } = query.before
		if (endpointId < e) {
			where.push('received_at <= ?')
			params.push(t)
		} else if (endpointId > e) {
			where.push('received_at < ?')
			params.push(t)
		} else {
			where.push('(received_at < ? OR (received_at = ? AND seq < ?))')
			params.push(t, t, s)
		}
	}
	return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params }
}

/**
 * How many rows to read: the caller's limit (a page and one more, to learn whether
 * another page follows), within bounds.
 */
export const pageLimit = (query: ListQuery): number =>
	Math.min(Math.max(1, query.limit), MAX_PAGE_SIZE + 1)
