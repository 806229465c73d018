/**
 * The EndpointDO's outbox (the `pending` table): execution messages the queue has not
 * finished with, and the FIFO lanes built on them. A FIFO execution stays here until it
 * finishes, `held` while its lane is busy and `inflight` (with a re-drive deadline) once
 * released; a non-FIFO one only while the queue refuses it. No I/O beyond the DO's own
 * SQLite, so the lane rules (lanes.ts) can be exercised and measured without the DO
 * around them.
 * @module
 */

import type { ExecutionMessage } from '../execution/message'
import { decodeMessage, encodeMessage } from '../execution/message-codec'

export type PendingState = 'held' | 'inflight'

export interface PendingRow extends Record<string, SqlStorageValue> {
	seq: number
	lane: string | null
	state: PendingState
	due_at: number | null
	message: string
	body: ArrayBuffer | null
}

export class Outbox {
	constructor(private readonly sql: SqlStorage) {}

	store(
		seq: number,
		lane: string | null,
		state: PendingState,
		dueAt: number | null,
		message: ExecutionMessage,
	): void {
		const { meta, body } = encodeMessage(message)
		this.sql.exec(
			'INSERT OR REPLACE INTO pending (seq, lane, state, due_at, message, body) VALUES (?, ?, ?, ?, ?, ?)',
			seq,
			lane,
			state,
			dueAt,
			meta,
			body,
		)
	}

	setDue(seq: number, dueAt: number): void {
		this.sql.exec('UPDATE pending SET due_at = ? WHERE seq = ?', dueAt, seq)
	}

	remove(seq: number): void {
		this.sql.exec('DELETE FROM pending WHERE seq = ?', seq)
	}

	stateOf(seq: number): PendingState | undefined {
		return this.sql
			.exec<{ state: PendingState }>('SELECT state FROM pending WHERE seq = ?', seq)
			.toArray()[0]?.state
	}

	/**
	 * A FIFO lane is busy while one of its executions is in flight. A lane releases its
	 * entries in seq order, so an in-flight entry is always the lane's first: one row is
	 * read, however long the lane's backlog (filtering on state read all of it).
	 */
	laneBusy(lane: string): boolean {
		const first = this.sql
			.exec<{ state: PendingState }>(
				'SELECT state FROM pending WHERE lane = ? ORDER BY seq LIMIT 1',
				lane,
			)
			.toArray()[0]
		return first?.state === 'inflight'
	}

	/** The lane's execution in flight, if any. */
	inflightOf(lane: string): PendingRow | undefined {
		return this.sql
			.exec<PendingRow>(
				"SELECT * FROM pending WHERE lane = ? AND state = 'inflight' ORDER BY seq LIMIT 1",
				lane,
			)
			.toArray()[0]
	}

	/**
	 * Marks the lane's next held execution in flight, due at `dueAt`, if the lane is free.
	 * Returns it, or undefined when the lane is busy or has nothing held.
	 */
	takeHeld(lane: string, dueAt: number): PendingRow | undefined {
		if (this.laneBusy(lane)) return undefined
		const next = this.sql
			.exec<PendingRow>(
				"SELECT * FROM pending WHERE lane = ? AND state = 'held' ORDER BY seq LIMIT 1",
				lane,
			)
			.toArray()[0]
		if (!next) return undefined
		this.sql.exec(
			"UPDATE pending SET state = 'inflight', due_at = ? WHERE seq = ?",
			dueAt,
			next.seq,
		)
		return next
	}

	/** In-flight messages whose deadline has passed, oldest first. */
	due(now: number, limit: number): PendingRow[] {
		return this.sql
			.exec<PendingRow>(
				"SELECT * FROM pending WHERE state = 'inflight' AND due_at <= ? ORDER BY seq LIMIT ?",
				now,
				limit,
			)
			.toArray()
	}

	/** The earliest in-flight deadline, for the alarm. */
	nextDue(): number | null {
		return this.sql
			.exec<{ at: number | null }>("SELECT MIN(due_at) AS at FROM pending WHERE state = 'inflight'")
			.one().at
	}

	counts(): { pending: number; held: number } {
		const count = (q: string) => this.sql.exec<{ n: number }>(q).one().n
		return {
			pending: count('SELECT COUNT(*) AS n FROM pending'),
			held: count("SELECT COUNT(*) AS n FROM pending WHERE state = 'held'"),
		}
	}
}

export const messageOf = (row: PendingRow): ExecutionMessage => decodeMessage(row.message, row.body)
