/**
 * Every write an attempt makes on its execution's row: its start (in memory for a short
 * flow), its outcome, a lease renewal, and the backstop's re-drive bookkeeping. The
 * rules about when to write live in attempts.ts and backstop.ts; this module only knows
 * how, and what memory holds ahead of the row (live-leases.ts).
 * @module
 */
import { REDRIVE_AFTER_MS, RETRY_IN_MEMORY_MAX_MS } from '../limits'
import type { ExecutionStatus } from './execution-record'
import { type LiveLease, LiveLeases, type Unwritten } from './live-leases'
import { assignments, type Bindable, changes } from './sql-values'

/** The columns a completion report writes (see `completionValues` in attempts.ts). */
export interface CompletionValues {
	status: ExecutionStatus
	error: string | null
	steps: string
	logs: string
	result_type: string | null
	result_size: number | null
	result_body: Uint8Array | null
	result_expires_at: number | null
	/** Only when terminal (see `completion`). */
	finished_at?: number
	updated_at: number
	attempt_errors: string
	lease_until: number | null
	attempts: number
}

/** The lease a renewed attempt keeps in memory, from what memory held of it. */
const leaseOf = (u: Unwritten, holder: string, until: number): LiveLease => ({
	holder,
	until,
	attempts: u.attempts ?? 0,
	startedAt: u.started_at ?? u.updated_at ?? 0,
	version: u.integration_version ?? null,
})

export class AttemptWrites {
	constructor(
		private readonly sql: SqlStorage,
		readonly leases: LiveLeases = new LiveLeases(),
	) {}

	/**
	 * Counts an attempt and leases the execution to `holder` until `leaseUntil`, in
	 * memory: the outcome's UPDATE writes it, and a renewal makes it durable.
	 */
	begin(
		seq: number,
		attempts: number,
		holder: string,
		now: number,
		leaseUntil: number,
		integrationVersion: number | null,
	): void {
		this.leases.begin(seq, {
			holder,
			until: leaseUntil,
			attempts,
			startedAt: now,
			version: integrationVersion,
		})
	}

	/**
	 * Records an attempt's outcome (with what memory held of the execution) and releases
	 * its lease. A retry due within RETRY_IN_MEMORY_MAX_MS is only kept in memory, with
	 * the attempt after it (see live-leases.ts).
	 */
	complete(seq: number, values: CompletionValues): void {
		const { finished_at: _, ...unfinished } = values
		if (
			values.status === 'retrying' &&
			values.lease_until !== null &&
			values.lease_until - values.updated_at <= RETRY_IN_MEMORY_MAX_MS + REDRIVE_AFTER_MS
		) {
			const {
				result_body: _b,
				result_expires_at: _e,
				result_size: _s,
				result_type: _t,
				...kept
			} = unfinished
			this.leases.retrying(seq, { ...kept, status: 'retrying' })
			return
		}
		this.#write(seq, { ...values, lease_holder: null })
	}

	/**
	 * One UPDATE of `values` with whatever memory held of the execution beneath them;
	 * `where` narrows it. Returns how many rows changed.
	 */
	#write(seq: number, values: Record<string, Bindable>, where = ''): number {
		const { started_at, ...unwritten } = this.leases.get(seq) ?? {}
		this.leases.delete(seq)
		const merged: Record<string, Bindable> = {}
		for (const [name, value] of Object.entries({ ...unwritten, ...values }))
			if (value !== undefined) merged[name] = value
		const { set, params } = assignments(merged)
		this.sql.exec(
			`UPDATE executions SET ${set}, started_at = COALESCE(started_at, ?) WHERE seq = ? ${where}`,
			...params,
			started_at ?? null,
			seq,
		)
		return changes(this.sql)
	}

	/**
	 * Extends `holder`'s lease; false when the lease is no longer its own. A flow that
	 * renews runs long: its lease is written, so that it outlives a restart of this object.
	 */
	renewLease(seq: number, holder: string, until: number): boolean {
		const lease = this.leases.lease(seq)
		if (lease) {
			if (lease.holder !== holder) return false
			this.leases.extend(seq, until)
			const unwritten = { ...this.leases.get(seq) }
			const changed = this.#write(seq, {}, 'AND finished_at IS NULL') > 0
			// Still running here: the row now says so too, and memory keeps the lease.
			if (changed) this.leases.begin(seq, leaseOf(unwritten, holder, until))
			return changed
		}
		this.sql.exec(
			"UPDATE executions SET lease_until = ? WHERE seq = ? AND status = 'running' AND lease_holder = ?",
			until,
			seq,
			holder,
		)
		return changes(this.sql) > 0
	}

	// ----- re-drive bookkeeping -----------------------------------------------------

	/** A FIFO execution re-driven or refused: its deadline is the outbox's, not the row's. */
	countRedrive(seq: number, n: number): void {
		this.sql.exec('UPDATE executions SET redrives = ? WHERE seq = ?', n, seq)
	}

	/** A non-FIFO message the queue refused: due again at `due`, unless a runner took it. */
	deferRefused(seq: number, n: number, due: number): void {
		if (this.leases.lease(seq)) return
		this.sql.exec(
			'UPDATE executions SET redrives = ?, lease_until = ? WHERE seq = ? AND lease_holder IS NULL',
			n,
			due,
			seq,
		)
	}

	/**
	 * A non-FIFO execution about to be sent again: free for the next delivery to take.
	 * What memory held of it (the lapsed attempt counts) is written with it.
	 */
	markRedriven(seq: number, n: number, deadline: number, at: number): void {
		this.#write(seq, {
			redrives: n,
			lease_holder: null,
			lease_until: deadline,
			updated_at: at,
		})
	}
}
