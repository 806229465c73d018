/**
 * Every statement on an endpoint's `executions` table but the retention sweep's
 * (`retention.ts`), in one class
 * given only the DO's (metered) SQLite. Every row written is billed, and so is every
 * index entry: a statement here is a cost each webhook pays, so they are kept where they
 * can be read, and counted, together. The rules about when to write live with the DO
 * and its collaborators; this module only knows how.
 * @module
 */
import type { RequestEnvelope } from '../execution/message'
import { decodeRequest, encodeRequest } from '../execution/message-codec'
import {
	EXECUTION_RETENTION_MS,
	LEASE_GRACE_MS,
	REDRIVE_AFTER_MS,
	RETRY_IN_MEMORY_MAX_MS,
	UNFINISHED_PERSIST_EVERY,
} from '../limits'
import type { ListQuery, ResultAccess } from './api'
import {
	EXECUTION_COLUMNS,
	type ExecutionRow,
	type ExecutionStatus,
	isTerminal,
} from './execution-record'
import { listFilter, pageLimit } from './listing'
import { type LiveLease, LiveLeases, type Unwritten } from './live-leases'
import type { SendTimes, StalledStatus } from './redrive'

/** Who records an execution, and for which flow and lane. */
export interface ExecutionOrigin {
	source: 'trigger' | 'replay'
	sync: boolean
	deliveryId: string | null
	lane: string | null
	replayOf: string | null
	instanceId: string
	flow: string
	/** The data integration version the endpoint runs now (null for code integrations). */
	integrationVersion: number | null
}

/** A new execution, as the accept path and replays record it. */
export interface NewExecution extends ExecutionOrigin {
	seq: number
	now: number
	/** The backstop's deadline: past it the message is overdue. */
	deadline: number
	resultToken: string
	request: RequestEnvelope
}

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

/** A non-FIFO execution past its deadline, as the alarm's re-drive reads it. */
export type OverdueRow = { seq: number; status: StalledStatus; lease_until: number | null } & Omit<
	SendTimes,
	'status' | 'lease_until'
>

/**
 * The columns a new row has at their defaults, which a recycled row (see `insert`) must
 * be given too: nothing of the expired record may show through.
 */
const FRESH_COLUMNS = {
	started_at: null,
	finished_at: null,
	result_type: null,
	result_size: null,
	error: null,
	attempt_errors: null,
	steps: null,
	logs: null,
	lease_holder: null,
	archived: 0,
	result_body: null,
	result_expires_at: null,
	redrives: 0,
} as const

/** What a statement binds: SQLite stores a byte view as the blob it views. */
type Bindable = SqlStorageValue | Uint8Array

/** `name = ?` pairs and their values, so each value stays beside its column. */
function assignments(values: Record<string, Bindable>): { set: string; params: Bindable[] } {
	const names = Object.keys(values)
	return { set: names.map((n) => `${n} = ?`).join(', '), params: Object.values(values) }
}

/** The lease a renewed attempt keeps in memory, from what memory held of it. */
const leaseOf = (u: Unwritten, holder: string, until: number): LiveLease => ({
	holder,
	until,
	attempts: u.attempts ?? 0,
	startedAt: u.started_at ?? u.updated_at ?? 0,
	version: u.integration_version ?? null,
})

/** When an unfinished execution is overdue: a running one's lease plus grace, else its deadline. */
const deadlineOf = (row: Pick<ExecutionRow, 'status' | 'lease_until'>): number =>
	row.status === 'running' ? (row.lease_until ?? 0) + LEASE_GRACE_MS : (row.lease_until ?? 0)

export class ExecutionStore {
	/** The newest row's receipt time: records never go back in time (see `insert`). */
	#lastReceivedAt: number | null = null
	/**
	 * Every execution below this seq is finished (it only moves up: a finished execution
	 * never runs again). Unfinished rows are found by reading the primary key from here,
	 * instead of an index that every insert would pay a row for.
	 */
	#unfinishedFrom: number | null = null
	/** The value last persisted in `meta`, so a restart reads few rows to catch up. */
	#persistedUnfinishedFrom = 0

	/** `leases`: attempts started and not yet reported (see live-leases.ts). */
	constructor(
		private readonly sql: SqlStorage,
		readonly leases: LiveLeases = new LiveLeases(),
	) {}

	#unfinishedStart(): number {
		if (this.#unfinishedFrom === null) {
			const stored = this.sql
				.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'unfinished_from'")
				.toArray()[0]?.value
			this.#unfinishedFrom = this.#persistedUnfinishedFrom = Number(stored ?? 0)
		}
		return this.#unfinishedFrom
	}

	/**
	 * Moves the unfinished watermark up past finished rows (the alarm calls this). It is
	 * persisted only every UNFINISHED_PERSIST_EVERY seqs: a row written per alarm would be
	 * paid by every sparse webhook, and after a restart the rows since are read once.
	 */
	advanceUnfinished(): void {
		const from = this.#unfinishedStart()
		const first = this.sql
			.exec<{ seq: number }>(
				'SELECT seq FROM executions WHERE seq >= ? AND finished_at IS NULL ORDER BY seq LIMIT 1',
				from,
			)
			.toArray()[0]?.seq
		const next = first ?? this.lastSeq() + 1
		if (next <= from) return
		this.#unfinishedFrom = next
		if (next - this.#persistedUnfinishedFrom < UNFINISHED_PERSIST_EVERY) return
		this.#persistedUnfinishedFrom = next
		this.sql.exec(
			"INSERT INTO meta (key, value) VALUES ('unfinished_from', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			String(next),
		)
	}

	/** Unfinished executions (FIFO ones too unless `nonFifo`), oldest first, as memory makes them. */
	*#unfinished(nonFifo: boolean): Generator<ExecutionRow> {
		const rows = this.sql.exec<ExecutionRow>(
			`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE seq >= ? AND finished_at IS NULL
			 ${nonFifo ? 'AND lane IS NULL' : ''} ORDER BY seq`,
			this.#unfinishedStart(),
		)
		for (const row of rows) yield this.leases.overlay(row)
	}

	/**
	 * The newest seq received at or before `t` (0 if none). Receipt times never decrease
	 * with seq, so a time is found by bisecting the primary key: a handful of point reads
	 * instead of a time index that every insert would pay for.
	 */
	seqReceivedBy(t: number): number {
		let lo = 0
		let hi = this.lastSeq()
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2)
			const row = this.sql
				.exec<{ seq: number; received_at: number }>(
					'SELECT seq, received_at FROM executions WHERE seq >= ? ORDER BY seq LIMIT 1',
					mid,
				)
				.toArray()[0]
			if (row && row.received_at <= t) lo = Math.min(row.seq, hi)
			else hi = mid - 1
		}
		return lo
	}

	/**
	 * The newest execution row holds the last sequence number (retention never deletes
	 * it), which spares a write per request.
	 */
	lastSeq(): number {
		return (
			this.sql.exec<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM executions').one().seq ?? 0
		)
	}

	/**
	 * When the latest `limit` trigger admissions after `since` were received, newest first:
	 * the rate window's log. Walked back from the newest row, stopping at `since`: a query
	 * filtered on time alone walked the whole table whenever the last second held fewer
	 * than `limit` admissions, which is every wake after a quiet spell.
	 */
	admissionsSince(since: number, limit: number): number[] {
		const times: number[] = []
		const rows = this.sql.exec<{ received_at: number; source: string }>(
			'SELECT received_at, source FROM executions ORDER BY seq DESC',
		)
		for (const row of rows) {
			if (row.received_at <= since || times.length >= limit) break
			if (row.source === 'trigger') times.push(row.received_at)
		}
		return times
	}

	/**
	 * The execution a delivery id received after `since` was recorded as, if any. Ids are
	 * kept in their execution's row (an index entry, not a table row and its indexes);
	 * the `deliveries` table only has ids from before that, until they age out.
	 */
	seqOfDelivery(deliveryId: string, since: number): number | undefined {
		return (
			this.sql
				.exec<{ seq: number }>(
					'SELECT seq FROM executions WHERE delivery_id = ? AND received_at > ? ORDER BY seq DESC LIMIT 1',
					deliveryId,
					since,
				)
				.toArray()[0]?.seq ??
			this.sql
				.exec<{ seq: number }>(
					'SELECT seq FROM deliveries WHERE delivery_id = ? AND received_at > ?',
					deliveryId,
					since,
				)
				.toArray()[0]?.seq
		)
	}

	/** Writes the execution row (and the delivery id). */
	insert(e: NewExecution): void {
		const stored = encodeRequest(e.request)
		const req = e.request
		// Receipt times never decrease with seq (a clock that steps back is held level), so
		// time order is seq order: see `seqReceivedBy`.
		this.#lastReceivedAt ??= this.newestReceivedAt()
		const receivedAt = Math.max(e.now, this.#lastReceivedAt)
		this.#lastReceivedAt = receivedAt
		const row: Record<string, Bindable> = {
			seq: e.seq,
			status: 'queued',
			attempts: 0,
			received_at: receivedAt,
			lease_until: e.deadline,
			source: e.source,
			sync: e.sync ? 1 : 0,
			delivery_id: e.deliveryId,
			instance_id: e.instanceId,
			flow: e.flow,
			result_token: e.resultToken,
			method: req.method,
			path: req.pathFragment,
			content_type: req.contentType,
			size: 'inline' in req.body ? req.body.inline.byteLength : req.body.size,
			updated_at: e.now,
			lane: e.lane,
			replay_of: e.replayOf,
			integration_version: e.integrationVersion,
			request: JSON.stringify(stored.meta),
			request_body: stored.body,
		}
		const expired = this.#oldestExpired(receivedAt - EXECUTION_RETENTION_MS)
		if (expired !== undefined) {
			// Retention and the insert in one row written: the expired record's row becomes
			// this one (its seq moves to the newest), every column set afresh.
			const { set, params } = assignments({ ...FRESH_COLUMNS, ...row })
			this.sql.exec(`UPDATE executions SET ${set} WHERE seq = ?`, ...params, expired)
			return
		}
		const names = Object.keys(row)
		this.sql.exec(
			`INSERT INTO executions (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
			...Object.values(row),
		)
	}

	/**
	 * The oldest record if it finished at or before `cutoff` (retention is over for it).
	 * Only the oldest is looked at: one row read per insert; what it leaves, the alarm's
	 * sweep drops.
	 */
	#oldestExpired(cutoff: number): number | undefined {
		const oldest = this.sql
			.exec<{ seq: number; finished_at: number | null; status: ExecutionStatus }>(
				'SELECT seq, finished_at, status FROM executions ORDER BY seq LIMIT 1',
			)
			.toArray()[0]
		return oldest && isTerminal(oldest.status) && (oldest.finished_at ?? cutoff + 1) <= cutoff
			? oldest.seq
			: undefined
	}

	newestReceivedAt(): number {
		return (
			this.sql
				.exec<{ received_at: number }>(
					'SELECT received_at FROM executions ORDER BY seq DESC LIMIT 1',
				)
				.toArray()[0]?.received_at ?? 0
		)
	}

	/** Undoes `insert` (its caller decides when a partly recorded execution must go). */
	remove(seq: number): void {
		this.sql.exec('DELETE FROM executions WHERE seq = ?', seq)
	}

	/** The row as it stands, an attempt running in memory included. */
	row(seq: number): ExecutionRow | undefined {
		return this.leases.overlay(
			this.sql
				.exec<ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE seq = ?`, seq)
				.toArray()[0],
		)
	}

	/**
	 * The request an execution was recorded with, exactly as received, or null if the
	 * execution is unknown or predates stored requests.
	 */
	request(seq: number): RequestEnvelope | null {
		const row = this.sql
			.exec<{ request: string | null; request_body: ArrayBuffer | null }>(
				'SELECT request, request_body FROM executions WHERE seq = ?',
				seq,
			)
			.toArray()[0]
		return row?.request ? decodeRequest(JSON.parse(row.request), row.request_body) : null
	}

	/** The result token and any result kept in the row (not yet expired and cleared). */
	resultAccess(seq: number): ResultAccess | null {
		const row = this.sql
			.exec<{
				status: ExecutionStatus
				result_token: string
				result_type: string | null
				result_body: ArrayBuffer | null
				result_expires_at: number | null
			}>(
				'SELECT status, result_token, result_type, result_body, result_expires_at FROM executions WHERE seq = ?',
				seq,
			)
			.toArray()[0]
		if (!row) return null
		const unwritten = isTerminal(row.status) ? undefined : this.leases.get(seq)?.status
		const access: ResultAccess = { token: row.result_token, status: unwritten ?? row.status }
		if (row.result_body !== null && row.result_expires_at !== null) {
			access.inline = {
				body: row.result_body,
				contentType: row.result_type ?? 'application/octet-stream',
				expiresAt: row.result_expires_at,
			}
		}
		return access
	}

	/**
	 * A page of executions, newest first (see `listing.ts`). Time bounds become a seq
	 * range, so a page deep in the past reads its own rows, not every newer one. An
	 * in-flight status is read from the unfinished rows only, as memory makes them (a
	 * running attempt's row may still read `queued`).
	 */
	list(endpointId: string, query: ListQuery): ExecutionRow[] {
		const inFlight = query.status !== undefined && !isTerminal(query.status)
		const { where, params } = listFilter(
			endpointId,
			inFlight ? { ...query, status: undefined } : query,
		)
		const conditions = where ? [where.slice('WHERE '.length)] : []
		const upTo = Math.min(
			query.to ?? Number.POSITIVE_INFINITY,
			query.before?.t ?? Number.POSITIVE_INFINITY,
		)
		if (Number.isFinite(upTo)) {
			conditions.push('seq <= ?')
			params.push(this.seqReceivedBy(upTo))
		}
		if (query.from !== undefined) {
			conditions.push('seq > ?')
			params.push(this.seqReceivedBy(query.from - 1))
		}
		if (inFlight) {
			conditions.push('seq >= ? AND finished_at IS NULL')
			params.push(this.#unfinishedStart())
		}
		const limit = pageLimit(query)
		const rows = this.sql.exec<ExecutionRow>(
			`SELECT ${EXECUTION_COLUMNS} FROM executions
			${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY seq DESC
			${inFlight ? '' : 'LIMIT ?'}`,
			...params,
			...(inFlight ? [] : [limit]),
		)
		const page: ExecutionRow[] = []
		for (const stored of rows) {
			const row = this.leases.overlay(stored)
			if (inFlight && row.status !== query.status) continue
			page.push(row)
			if (page.length >= limit) break
		}
		return page
	}

	// ----- the lease and attempt machine --------------------------------------------

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
		return this.sql.exec<{ n: number }>('SELECT changes() AS n').one().n
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
		return this.sql.exec<{ n: number }>('SELECT changes() AS n').one().n > 0
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

	/**
	 * Non-FIFO executions past their deadline, oldest first: a queued or retrying one
	 * whose message is overdue, or a running one whose lease lapsed more than the grace ago.
	 */
	overdue(now: number, limit: number): OverdueRow[] {
		const found: OverdueRow[] = []
		for (const row of this.#unfinished(true)) {
			if (found.length >= limit) break
			if (deadlineOf(row) > now) continue
			const { seq, redrives, received_at, updated_at, lease_until } = row
			const status = row.status === 'running' || row.status === 'retrying' ? row.status : 'queued'
			found.push({ seq, status, redrives, received_at, updated_at, lease_until })
		}
		return found
	}

	/** FIFO executions not yet finished, oldest first: what the lanes hold (see outbox.ts). */
	unfinishedInLanes(): Array<{ seq: number; lane: string }> {
		return this.sql
			.exec<{ seq: number; lane: string }>(
				`SELECT seq, lane FROM executions WHERE seq >= ? AND finished_at IS NULL AND lane IS NOT NULL
				 ORDER BY seq`,
				this.#unfinishedStart(),
			)
			.toArray()
	}

	/** The earliest deadline of a non-FIFO execution not yet finished. */
	nextDeadline(): number | null {
		let next: number | null = null
		for (const row of this.#unfinished(true)) {
			const at = deadlineOf(row)
			if (next === null || at < next) next = at
		}
		return next
	}

	// ----- counters -----------------------------------------------------------------

	/** Trigger admissions per minute (ms / 60000) since `since`. */
	admittedPerMinute(since: number): Map<number, number> {
		const rows = this.sql
			.exec<{ minute: number; n: number }>(
				"SELECT received_at / 60000 AS minute, COUNT(*) AS n FROM executions WHERE seq > ? AND source = 'trigger' AND received_at >= ? GROUP BY minute",
				this.seqReceivedBy(since - 1),
				since,
			)
			.toArray()
		return new Map(rows.map((r) => [Math.floor(r.minute), r.n]))
	}

	/** `deliveries`: delivery ids still inside the dedupe window (`since`). */
	counts(since: number): { executions: number; deliveries: number } {
		const count = (sql: string, ...params: SqlStorageValue[]) =>
			this.sql.exec<{ n: number }>(sql, ...params).one().n
		return {
			executions: count('SELECT COUNT(*) AS n FROM executions'),
			deliveries:
				count(
					'SELECT COUNT(*) AS n FROM executions WHERE delivery_id IS NOT NULL AND received_at > ?',
					since,
				) + count('SELECT COUNT(*) AS n FROM deliveries'),
		}
	}
}
