/**
 * Every statement on an endpoint's `executions` table but the retention sweep's
 * (`retention.ts`), given only the DO's (metered) SQLite: recording (in an expired
 * record's row when there is one), reads and listings here, an attempt's writes in
 * `attempt-writes.ts`, the unfinished rows in `unfinished-rows.ts`. Every row written is
 * billed, and so is every index entry: a statement here is a cost each webhook pays, so
 * they are kept where they can be read, and counted, together. The rules about when to
 * write live with the DO and its collaborators; these modules only know how.
 * @module
 */
import type { ExecutionMessage, RequestEnvelope } from '../execution/message'
import { decodeRequest, encodeRequest } from '../execution/message-codec'
import { EXECUTION_RETENTION_MS } from '../limits'
import type { ListQuery, ResultAccess } from './api'
import { AttemptWrites } from './attempt-writes'
import {
	EXECUTION_COLUMNS,
	type ExecutionRow,
	type ExecutionStatus,
	isTerminal,
} from './execution-record'
import { executionMessage } from './hand-off'
import { listFilter, pageLimit } from './listing'
import { LiveLeases } from './live-leases'
import { assignments, type Bindable } from './sql-values'
import { UnfinishedRows } from './unfinished-rows'

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

export class ExecutionStore {
	/** The newest row's receipt time: records never go back in time (see `insert`). */
	#lastReceivedAt: number | null = null
	/** Every write an attempt makes (attempt-writes.ts). */
	readonly attempts: AttemptWrites
	/** The executions not yet finished (unfinished-rows.ts). */
	readonly unfinished: UnfinishedRows

	/** `leases`: what memory holds of unfinished executions (see live-leases.ts). */
	constructor(
		private readonly sql: SqlStorage,
		readonly leases: LiveLeases = new LiveLeases(),
	) {
		this.attempts = new AttemptWrites(sql, leases)
		this.unfinished = new UnfinishedRows(sql, leases, () => this.lastSeq())
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
		return this.#stored(seq)?.request ?? null
	}

	/**
	 * The queue message of execution `seq` of endpoint `endpointId`, rebuilt from its row
	 * (the row is the outbox: see hand-off.ts), or null if its request is no longer stored.
	 */
	message(endpointId: string, seq: number): ExecutionMessage | null {
		const stored = this.#stored(seq)
		return stored && executionMessage(endpointId, seq, stored.request, stored.receivedAt)
	}

	#stored(seq: number): { request: RequestEnvelope; receivedAt: number } | null {
		const row = this.sql
			.exec<{ request: string | null; request_body: ArrayBuffer | null; received_at: number }>(
				'SELECT request, request_body, received_at FROM executions WHERE seq = ?',
				seq,
			)
			.toArray()[0]
		return row?.request
			? {
					request: decodeRequest(JSON.parse(row.request), row.request_body),
					receivedAt: row.received_at,
				}
			: null
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
			params.push(this.unfinished.from())
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
