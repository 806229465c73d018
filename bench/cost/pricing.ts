/**
 * Cloudflare's list prices for what a webhook's life costs, per million operations, and
 * the arithmetic that turns a scenario's counts into dollars per million webhooks.
 * Plain data: imported by the workerd scenarios and by the Node script that prints them.
 *
 * Not priced: Durable Object and Worker duration (GB-s / CPU ms), storage (GB-month),
 * the free tiers. Counted operations are what a change to this code moves.
 * @module
 */
import type { CostCounts } from '../../src/lib/meter'

/** The meter's counts that are priced (`alarmsSet` is already among rows written). */
export type OperationCounts = Omit<CostCounts, 'alarmsSet'>

/** Dollars per million of each operation. */
export const PRICES: Readonly<Record<keyof OperationCounts, number>> = {
	/** @see https://developers.cloudflare.com/durable-objects/platform/pricing/ (SQLite storage: rows written) */
	rowsWritten: 1.0,
	/** @see https://developers.cloudflare.com/durable-objects/platform/pricing/ (SQLite storage: rows read) */
	rowsRead: 0.001,
	/** @see https://developers.cloudflare.com/durable-objects/platform/pricing/ (requests, alarms included) */
	doRequests: 0.15,
	/** @see https://developers.cloudflare.com/workers/platform/pricing/ (Standard: requests) */
	workerRequests: 0.3,
	/**
	 * A delivered message is three operations: write, read, delete (a retry adds a read).
	 * @see https://developers.cloudflare.com/queues/platform/pricing/
	 */
	queueOps: 0.4,
	/** @see https://developers.cloudflare.com/r2/pricing/ (Class A: put, list) */
	r2ClassA: 4.5,
	/** @see https://developers.cloudflare.com/r2/pricing/ (Class B: get, head) */
	r2ClassB: 0.36,
}

export const OPERATIONS = Object.keys(PRICES) as Array<keyof OperationCounts>

/** What `counts` (per webhook) cost per million webhooks. */
export function dollarsPerMillion(counts: OperationCounts): number {
	let total = 0
	for (const op of OPERATIONS) total += counts[op] * PRICES[op]
	return Math.round(total * 1000) / 1000
}

/** `counts` divided by `n`, rounded to 0.001. */
export function perWebhook(counts: OperationCounts, n: number): OperationCounts {
	const out = {} as OperationCounts
	for (const op of OPERATIONS) out[op] = Math.round((counts[op] / n) * 1000) / 1000
	return out
}

export function add(a: OperationCounts, b: OperationCounts): OperationCounts {
	const out = {} as OperationCounts
	for (const op of OPERATIONS) out[op] = a[op] + b[op]
	return out
}
