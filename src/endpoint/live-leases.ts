/**
 * What memory knows of unfinished executions that their rows do not say yet. A short
 * flow's start writes nothing: its lease, attempt count and start time live here until
 * its outcome is written with them in one UPDATE; a retry due soon is kept here too, until
 * the attempt after it is written. Only a flow that runs long enough to renew its lease
 * writes it (`ExecutionStore.renewLease`), and a retry due later than
 * RETRY_IN_MEMORY_MAX_MS is written at once, so what must outlive this object for long is
 * durable, and the common webhook's start and quick retry cost no row (docs/cost.md).
 *
 * What a restart of the object loses: a short flow's lease (its row reads `queued` again,
 * and the backstop re-sends it once its deadline passes; a finished execution still never
 * runs again), a quick retry's error and delay (the backstop may run it up to a minute
 * early), and the attempts of a consumer that crashed before reporting.
 * @module
 */
import { type ExecutionRow, isTerminal } from './execution-record'

/** The columns of an unfinished row that memory holds ahead of storage. */
export type Unwritten = Partial<
	Pick<
		ExecutionRow,
		| 'status'
		| 'attempts'
		| 'started_at'
		| 'updated_at'
		| 'lease_holder'
		| 'lease_until'
		| 'integration_version'
		| 'error'
		| 'attempt_errors'
		| 'steps'
		| 'logs'
	>
>

/** A started attempt: who runs it, until when, which attempt, since when, which version. */
export interface LiveLease {
	holder: string
	until: number
	attempts: number
	startedAt: number
	version: number | null
}

export class LiveLeases {
	#rows = new Map<number, Unwritten>()

	get(seq: number): Unwritten | undefined {
		return this.#rows.get(seq)
	}

	/** The lease of a running attempt held in memory, if any. */
	lease(seq: number): { holder: string; until: number } | undefined {
		const row = this.#rows.get(seq)
		return row?.status === 'running' && row.lease_holder
			? { holder: row.lease_holder, until: row.lease_until ?? 0 }
			: undefined
	}

	/** An attempt starts: what an earlier quick retry left here carries over. */
	begin(seq: number, lease: LiveLease): void {
		const before = this.#rows.get(seq)
		this.#rows.set(seq, {
			...before,
			status: 'running',
			attempts: lease.attempts,
			started_at: before?.started_at ?? lease.startedAt,
			updated_at: lease.startedAt,
			lease_holder: lease.holder,
			lease_until: lease.until,
			integration_version: lease.version,
		})
	}

	/** A quick retry's report, kept until the attempt after it is written. */
	retrying(seq: number, values: Unwritten): void {
		this.#rows.set(seq, { ...this.#rows.get(seq), ...values, lease_holder: null })
	}

	extend(seq: number, until: number): void {
		const row = this.#rows.get(seq)
		if (row) row.lease_until = until
	}

	delete(seq: number): void {
		this.#rows.delete(seq)
	}

	/** Every deadline held here passes now, as if time had gone by (tests). */
	lapse(): void {
		for (const row of this.#rows.values()) row.lease_until = 0
	}

	/** The row as memory makes it. */
	overlay<R extends ExecutionRow | undefined>(row: R): R {
		if (!row) return row
		const unwritten = this.#rows.get(row.seq)
		if (!unwritten) return row
		if (isTerminal(row.status)) {
			this.#rows.delete(row.seq)
			return row
		}
		return {
			...row,
			...unwritten,
			started_at: row.started_at ?? unwritten.started_at ?? null,
			updated_at: Math.max(row.updated_at, unwritten.updated_at ?? 0),
		}
	}
}
