/**
 * The executions not yet finished, found without an index: every execution below a
 * watermark has finished (a finished execution never runs again, so the watermark only
 * moves up), and the rows from there are read by primary key. What the backstop, the
 * alarm and the FIFO lanes read of them, as memory makes them (live-leases.ts).
 * @module
 */
import { LEASE_GRACE_MS, UNFINISHED_PERSIST_EVERY } from '../limits'
import { EXECUTION_COLUMNS, type ExecutionRow } from './execution-record'
import type { LiveLeases } from './live-leases'
import type { SendTimes, StalledStatus } from './redrive'

/** A non-FIFO execution past its deadline, as the alarm's re-drive reads it. */
export type OverdueRow = { seq: number; status: StalledStatus; lease_until: number | null } & Omit<
	SendTimes,
	'status' | 'lease_until'
>

/** When an unfinished execution is overdue: a running one's lease plus grace, else its deadline. */
const deadlineOf = (row: Pick<ExecutionRow, 'status' | 'lease_until'>): number =>
	row.status === 'running' ? (row.lease_until ?? 0) + LEASE_GRACE_MS : (row.lease_until ?? 0)

export class UnfinishedRows {
	/**
	 * Every execution below this seq is finished (it only moves up: a finished execution
	 * never runs again). Unfinished rows are found by reading the primary key from here,
	 * instead of an index that every insert would pay a row for.
	 */
	#from: number | null = null
	/** The value last persisted in `meta`, so a restart reads few rows to catch up. */
	#persisted = 0

	/** `lastSeq`: the newest execution's seq (the watermark's ceiling when all finished). */
	constructor(
		private readonly sql: SqlStorage,
		private readonly leases: LiveLeases,
		private readonly lastSeq: () => number,
	) {}

	from(): number {
		if (this.#from === null) {
			const stored = this.sql
				.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'unfinished_from'")
				.toArray()[0]?.value
			this.#from = this.#persisted = Number(stored ?? 0)
		}
		return this.#from
	}

	/**
	 * Moves the unfinished watermark up past finished rows (the alarm calls this). It is
	 * persisted only every UNFINISHED_PERSIST_EVERY seqs: a row written per alarm would be
	 * paid by every sparse webhook, and after a restart the rows since are read once.
	 */
	advance(): void {
		const from = this.from()
		const first = this.sql
			.exec<{ seq: number }>(
				'SELECT seq FROM executions WHERE seq >= ? AND finished_at IS NULL ORDER BY seq LIMIT 1',
				from,
			)
			.toArray()[0]?.seq
		const next = first ?? this.lastSeq() + 1
		if (next <= from) return
		this.#from = next
		if (next - this.#persisted < UNFINISHED_PERSIST_EVERY) return
		this.#persisted = next
		this.sql.exec(
			"INSERT INTO meta (key, value) VALUES ('unfinished_from', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			String(next),
		)
	}

	/** Unfinished non-FIFO executions (the lanes drive their own), oldest first, as memory makes them. */
	*#nonFifo(): Generator<ExecutionRow> {
		const rows = this.sql.exec<ExecutionRow>(
			`SELECT ${EXECUTION_COLUMNS} FROM executions
			 WHERE seq >= ? AND finished_at IS NULL AND lane IS NULL ORDER BY seq`,
			this.from(),
		)
		for (const row of rows) yield this.leases.overlay(row)
	}

	/**
	 * Non-FIFO executions past their deadline, oldest first: a queued or retrying one
	 * whose message is overdue, or a running one whose lease lapsed more than the grace ago.
	 */
	overdue(now: number, limit: number): OverdueRow[] {
		const found: OverdueRow[] = []
		for (const row of this.#nonFifo()) {
			if (found.length >= limit) break
			if (deadlineOf(row) > now) continue
			const { seq, redrives, received_at, updated_at, lease_until } = row
			const status = row.status === 'running' || row.status === 'retrying' ? row.status : 'queued'
			found.push({ seq, status, redrives, received_at, updated_at, lease_until })
		}
		return found
	}

	/** FIFO executions not yet finished, oldest first: what the lanes hold (see outbox.ts). */
	inLanes(): Array<{ seq: number; lane: string }> {
		return this.sql
			.exec<{ seq: number; lane: string }>(
				`SELECT seq, lane FROM executions WHERE seq >= ? AND finished_at IS NULL AND lane IS NOT NULL
				 ORDER BY seq`,
				this.from(),
			)
			.toArray()
	}

	/** The earliest deadline of a non-FIFO execution not yet finished. */
	nextDeadline(): number | null {
		let next: number | null = null
		for (const row of this.#nonFifo()) {
			const at = deadlineOf(row)
			if (next === null || at < next) next = at
		}
		return next
	}
}
