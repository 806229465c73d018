/**
 * Attempts started and not yet reported, kept in memory. A short flow's start writes
 * nothing: its lease, attempt count and start time live here until its outcome is
 * written with them in one UPDATE. Only a flow that runs long enough to renew its lease
 * writes it (`ExecutionStore.renewLease`), so a lease that must outlive this object is
 * durable, and a start costs no row (docs/cost.md).
 *
 * What a restart of the object loses: the lease of a short flow still running (its row
 * reads `queued` again, and the backstop re-sends it once its deadline passes; a
 * finished execution still never runs again), and the attempts of a consumer that
 * crashed before reporting.
 * @module
 */
import { type ExecutionRow, isTerminal } from './execution-record'

export interface LiveLease {
	holder: string
	until: number
	/** The attempt number this lease runs. */
	attempts: number
	startedAt: number
	/** The data integration version the attempt runs (null for code integrations). */
	version: number | null
}

export class LiveLeases {
	#leases = new Map<number, LiveLease>()

	get(seq: number): LiveLease | undefined {
		return this.#leases.get(seq)
	}

	set(seq: number, lease: LiveLease): void {
		this.#leases.set(seq, lease)
	}

	delete(seq: number): void {
		this.#leases.delete(seq)
	}

	get size(): number {
		return this.#leases.size
	}

	/** Every lease lapses now, as if its runner had stopped renewing long ago (tests). */
	lapse(): void {
		for (const lease of this.#leases.values()) lease.until = 0
	}

	/** The row as the attempt in memory makes it: running, leased, counted. */
	overlay<R extends ExecutionRow | undefined>(row: R): R {
		if (!row) return row
		const lease = this.#leases.get(row.seq)
		if (!lease) return row
		if (isTerminal(row.status)) {
			this.#leases.delete(row.seq)
			return row
		}
		return {
			...row,
			status: 'running',
			attempts: lease.attempts,
			started_at: row.started_at ?? lease.startedAt,
			updated_at: Math.max(row.updated_at, lease.startedAt),
			lease_holder: lease.holder,
			lease_until: lease.until,
			integration_version: lease.version,
		}
	}
}
