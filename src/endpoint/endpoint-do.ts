/**
 * EndpointDO: the one owner of an endpoint's state. Everything that must be exact is
 * decided here, once, in a single round trip per request: admission against the rolling
 * window, delivery-id dedupe, the sequence number, the execution record and the hand-off
 * to the queue.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import type { ExecutionMessage, RequestEnvelope } from '../execution/message'
import type { LogRecord, StepRecord } from '../execution/run-flow'
import { base64ToBytes, bytesToBase64 } from '../lib/encoding'
import { describe } from '../lib/errors'
import { executionIdFor, newResultToken } from '../lib/ids'
import { DEDUPE_WINDOW_MS, MAX_PAGE_SIZE, RATE_WINDOW_MS, REDISPATCH_AFTER_MS } from '../limits'
import { applyPatch, type EndpointConfig, type EndpointPatch } from './config'
import {
	type ExecutionRow,
	type ExecutionStatus,
	type ExecutionView,
	executionView,
	isTerminal,
} from './execution-record'
import { RateWindow } from './rate-window'
import { migrate } from './schema'
import type { EndpointApi } from './stub'

export interface AcceptInput {
	request: RequestEnvelope
	deliveryId: string | null
	sync: boolean
	/** How long a synchronous request may wait for its flow, in ms. */
	waitMs: number
}

export type AcceptOutcome =
	| { kind: 'not_found' }
	| { kind: 'rate_limited'; retryAfterMs: number; limit: number }
	| { kind: 'unavailable' }
	| { kind: 'accepted'; executionId: string; duplicate: boolean }
	| {
			kind: 'finished'
			executionId: string
			status: 'succeeded' | 'failed'
			resultPath: string | null
			error: string | null
	  }
	| { kind: 'pending'; executionId: string; resultPath: string }

export type StartOutcome =
	| { run: false; reason: 'unknown' | 'finished' }
	| {
			run: true
			executionId: string
			integration: string
			flow: string
			instance: EndpointConfig['instance']
			sync: boolean
			resultToken: string
			attempt: number
	  }

export interface CompletionReport {
	status: 'succeeded' | 'retrying' | 'failed'
	error?: string
	steps: StepRecord[]
	logs: LogRecord[]
	/** Set when the flow's result was stored in R2. */
	result?: { contentType: string; size: number }
}

export interface ListQuery {
	status?: ExecutionStatus
	limit: number
	/** Cursor: list executions strictly after this position in (receivedAt, endpointId, seq) desc order. */
	before?: { t: number; e: string; s: number }
}

type Waiter = (outcome: AcceptOutcome) => void

/**
 * Test-only switches for fault injection; only reachable through `runInDurableObject`,
 * never from a request.
 */
export interface EndpointFaults {
	queueSend?: boolean
	storage?: boolean
}

export class EndpointDO extends DurableObject<Env> implements EndpointApi {
	#sql: SqlStorage
	#config: EndpointConfig | null = null
	#window: RateWindow | null = null
	#lastSeq = 0
	#waiters = new Map<number, Waiter[]>()
	readonly faults: EndpointFaults = {}

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env)
		this.#sql = ctx.storage.sql
		ctx.blockConcurrencyWhile(async () => {
			migrate(this.#sql)
			this.#load()
		})
	}

	#load(): void {
		const meta = this.#sql
			.exec<{ key: string; value: string }>('SELECT key, value FROM meta')
			.toArray()
		for (const { key, value } of meta) {
			if (key === 'config') this.#config = JSON.parse(value) as EndpointConfig
			if (key === 'last_seq') this.#lastSeq = Number(value)
		}
		this.#window = this.#config
			? this.#restoreWindow(this.#config.rateLimit.requestsPerSecond)
			: null
	}

	/**
	 * The admission log is the execution table itself (every admitted request has a row),
	 * so the window survives eviction without a write of its own.
	 */
	#restoreWindow(limit: number): RateWindow {
		const since = Date.now() - RATE_WINDOW_MS
		const rows = this.#sql
			.exec<{ received_at: number }>(
				"SELECT received_at FROM executions WHERE source = 'trigger' AND received_at > ? ORDER BY seq DESC LIMIT ?",
				since,
				limit,
			)
			.toArray()
		return new RateWindow(
			limit,
			RATE_WINDOW_MS,
			rows.map((r) => r.received_at),
		)
	}

	#saveConfig(config: EndpointConfig): void {
		this.#sql.exec(
			"INSERT INTO meta (key, value) VALUES ('config', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			JSON.stringify(config),
		)
		const limit = config.rateLimit.requestsPerSecond
		if (!this.#window) this.#window = this.#restoreWindow(limit)
		else if (this.#window.limit !== limit) this.#window = this.#window.withLimit(limit)
		this.#config = config
	}

	// ----- configuration -----------------------------------------------------------

	/** Creates the endpoint. Idempotent: configuring an existing endpoint returns it unchanged. */
	async configure(config: EndpointConfig): Promise<EndpointConfig> {
		if (this.#config) return this.#config
		this.#saveConfig(config)
		return config
	}

	async getConfig(): Promise<EndpointConfig | null> {
		return this.#config && !this.#config.deletedAt ? this.#config : null
	}

	async patch(patch: EndpointPatch): Promise<EndpointConfig | null> {
		if (!this.#config || this.#config.deletedAt) return null
		const next = applyPatch(this.#config, patch, new Date().toISOString())
		this.#saveConfig(next)
		return next
	}

	/** Deletes the endpoint: it answers 404 from now on; its execution history stays readable. */
	async remove(): Promise<boolean> {
		if (!this.#config || this.#config.deletedAt) return false
		this.#saveConfig({ ...this.#config, deletedAt: new Date().toISOString() })
		return true
	}

	// ----- the accept path -----------------------------------------------------------

	async accept(input: AcceptInput): Promise<AcceptOutcome> {
		const config = this.#config
		if (!config || config.deletedAt || !this.#window) return { kind: 'not_found' }
		const now = Date.now()

		if (input.deliveryId) {
			const original = this.#sql
				.exec<{ seq: number }>(
					'SELECT seq FROM deliveries WHERE delivery_id = ? AND received_at > ?',
					input.deliveryId,
					now - DEDUPE_WINDOW_MS,
				)
				.toArray()[0]
			if (original) return this.#answerDuplicate(original.seq, input)
		}

		const admission = this.#window.admit(now)
		if (!admission.admitted) {
			return {
				kind: 'rate_limited',
				retryAfterMs: admission.retryAfterMs,
				limit: this.#window.limit,
			}
		}

		const seq = this.#lastSeq + 1
		const executionId = executionIdFor(config.id, seq)
		const resultToken = newResultToken()
		const req = input.request
		try {
			if (this.faults.storage) throw new Error('injected storage fault')
			// These writes have no await between them, so they commit atomically, and the
			// output gate holds our answer until they are durable.
			this.#sql.exec(
				`INSERT INTO executions (seq, status, attempts, received_at, source, sync, delivery_id,
				   instance_id, flow, result_token, method, path, content_type, size, updated_at)
				 VALUES (?, 'queued', 0, ?, 'trigger', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				seq,
				now,
				input.sync ? 1 : 0,
				input.deliveryId,
				config.instance.id,
				config.flow,
				resultToken,
				req.method,
				req.pathFragment,
				req.contentType,
				'inline' in req.body ? req.body.inline.byteLength : req.body.size,
				now,
			)
			if (input.deliveryId) {
				this.#sql.exec(
					'INSERT OR REPLACE INTO deliveries (delivery_id, seq, received_at) VALUES (?, ?, ?)',
					input.deliveryId,
					seq,
					now,
				)
			}
			this.#sql.exec("UPDATE meta SET value = ? WHERE key = 'last_seq'", String(seq))
		} catch (err) {
			this.#window.revertLast()
			console.error(
				JSON.stringify({
					level: 'error',
					msg: 'accept: storage write failed',
					endpointId: config.id,
					error: describe(err),
				}),
			)
			return { kind: 'unavailable' }
		}
		this.#lastSeq = seq

		const message: ExecutionMessage = {
			v: 1,
			executionId,
			endpointId: config.id,
			sequence: seq,
			request: { ...req, receivedAt: now },
		}
		const waiting = input.sync ? this.#waitFor(seq, input.waitMs, executionId, resultToken) : null
		await this.#dispatch(message)
		if (waiting) return waiting
		return { kind: 'accepted', executionId, duplicate: false }
	}

	/**
	 * Sends to the queue. If the queue refuses, the message goes to the outbox in our own
	 * storage and the alarm re-sends it: the request is already durable here, so the
	 * sender's 200 stands either way.
	 */
	async #dispatch(message: ExecutionMessage): Promise<void> {
		try {
			if (this.faults.queueSend) throw new Error('injected queue fault')
			await this.env.EXECUTIONS.send(message, { contentType: 'v8' })
		} catch (err) {
			console.warn(
				JSON.stringify({
					level: 'warn',
					msg: 'queue send failed; kept in outbox',
					executionId: message.executionId,
					error: describe(err),
				}),
			)
			this.#sql.exec(
				'INSERT OR REPLACE INTO outbox (seq, message, next_attempt_at) VALUES (?, ?, ?)',
				message.sequence,
				serializeMessage(message),
				Date.now() + REDISPATCH_AFTER_MS,
			)
			await this.#ensureAlarm(Date.now() + REDISPATCH_AFTER_MS)
		}
	}

	async #ensureAlarm(at: number): Promise<void> {
		const current = await this.ctx.storage.getAlarm()
		if (current === null || current > at) await this.ctx.storage.setAlarm(at)
	}

	override async alarm(): Promise<void> {
		const now = Date.now()
		const due = this.#sql
			.exec<{ seq: number; message: ArrayBuffer }>(
				'SELECT seq, message FROM outbox WHERE next_attempt_at <= ? ORDER BY seq LIMIT 100',
				now,
			)
			.toArray()
		for (const row of due) {
			const message = deserializeMessage(row.message)
			try {
				if (this.faults.queueSend) throw new Error('injected queue fault')
				await this.env.EXECUTIONS.send(message, { contentType: 'v8' })
				this.#sql.exec('DELETE FROM outbox WHERE seq = ?', row.seq)
			} catch {
				this.#sql.exec(
					'UPDATE outbox SET next_attempt_at = ? WHERE seq = ?',
					now + REDISPATCH_AFTER_MS,
					row.seq,
				)
			}
		}
		this.#pruneDeliveries(now)
		const next = this.#sql
			.exec<{ at: number | null }>('SELECT MIN(next_attempt_at) AS at FROM outbox')
			.one().at
		if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 1000))
	}

	#pruneDeliveries(now: number): void {
		this.#sql.exec('DELETE FROM deliveries WHERE received_at <= ?', now - DEDUPE_WINDOW_MS)
	}

	#answerDuplicate(seq: number, input: AcceptInput): AcceptOutcome | Promise<AcceptOutcome> {
		const row = this.#row(seq)
		const config = this.#config as EndpointConfig
		const executionId = executionIdFor(config.id, seq)
		if (!row) return { kind: 'accepted', executionId, duplicate: true }
		if (!input.sync) return { kind: 'accepted', executionId, duplicate: true }
		if (isTerminal(row.status)) return this.#finished(row)
		return this.#waitFor(seq, input.waitMs, executionId, row.result_token)
	}

	#waitFor(
		seq: number,
		waitMs: number,
		executionId: string,
		resultToken: string,
	): Promise<AcceptOutcome> {
		return new Promise<AcceptOutcome>((resolve) => {
			let done = false
			const finish = (outcome: AcceptOutcome) => {
				if (done) return
				done = true
				clearTimeout(timer)
				resolve(outcome)
			}
			const timer = setTimeout(
				() =>
					finish({
						kind: 'pending',
						executionId,
						resultPath: resultPath(executionId, resultToken),
					}),
				waitMs,
			)
			const list = this.#waiters.get(seq) ?? []
			list.push(finish)
			this.#waiters.set(seq, list)
		})
	}

	#finished(row: ExecutionRow): AcceptOutcome {
		const config = this.#config as EndpointConfig
		const executionId = executionIdFor(config.id, row.seq)
		return {
			kind: 'finished',
			executionId,
			status: row.status === 'succeeded' ? 'succeeded' : 'failed',
			resultPath: row.result_type ? resultPath(executionId, row.result_token) : null,
			error: row.error,
		}
	}

	// ----- the consumer's side -----------------------------------------------------

	/**
	 * Called by the consumer before it runs an attempt. A finished execution never runs
	 * again, whatever the queue redelivers.
	 */
	async start(seq: number, attempt: number): Promise<StartOutcome> {
		const config = this.#config
		const row = this.#row(seq)
		if (!config || !row) return { run: false, reason: 'unknown' }
		if (isTerminal(row.status)) return { run: false, reason: 'finished' }
		const now = Date.now()
		const attempts = Math.max(row.attempts + 1, attempt)
		this.#sql.exec(
			"UPDATE executions SET status = 'running', attempts = ?, started_at = COALESCE(started_at, ?), updated_at = ? WHERE seq = ?",
			attempts,
			now,
			now,
			seq,
		)
		return {
			run: true,
			executionId: executionIdFor(config.id, seq),
			integration: config.integration,
			flow: row.flow,
			instance: config.instance,
			sync: row.sync === 1,
			resultToken: row.result_token,
			attempt: attempts,
		}
	}

	/** Records an attempt's outcome; a terminal one wakes any synchronous caller waiting. */
	async complete(seq: number, report: CompletionReport): Promise<void> {
		const row = this.#row(seq)
		if (!row || isTerminal(row.status)) return
		const now = Date.now()
		const terminal = report.status !== 'retrying'
		this.#sql.exec(
			`UPDATE executions SET status = ?, error = ?, steps = ?, logs = ?, result_type = ?, result_size = ?,
			   finished_at = ?, updated_at = ?, attempt_errors = ? WHERE seq = ?`,
			report.status,
			report.error ?? null,
			JSON.stringify(report.steps),
			JSON.stringify(report.logs),
			report.result?.contentType ?? null,
			report.result?.size ?? null,
			terminal ? now : null,
			now,
			JSON.stringify(appendAttemptError(row, report)),
			seq,
		)
		if (terminal) {
			this.#sql.exec('DELETE FROM outbox WHERE seq = ?', seq)
			const waiters = this.#waiters.get(seq)
			if (waiters) {
				this.#waiters.delete(seq)
				const outcome = this.#finished(this.#row(seq) as ExecutionRow)
				for (const w of waiters) w(outcome)
			}
		}
	}

	// ----- reads ---------------------------------------------------------------------

	#row(seq: number): ExecutionRow | undefined {
		return this.#sql.exec<ExecutionRow>('SELECT * FROM executions WHERE seq = ?', seq).toArray()[0]
	}

	async getExecution(seq: number): Promise<ExecutionView | null> {
		const config = this.#config
		const row = this.#row(seq)
		return config && row ? executionView(config.id, row) : null
	}

	/** The token guarding an execution's result URL, for the results route to check. */
	async resultAccess(seq: number): Promise<{ token: string; status: ExecutionStatus } | null> {
		const row = this.#row(seq)
		return row ? { token: row.result_token, status: row.status } : null
	}

	async listExecutions(query: ListQuery): Promise<ExecutionView[]> {
		const config = this.#config
		if (!config) return []
		const limit = Math.min(Math.max(1, query.limit), MAX_PAGE_SIZE)
		const where: string[] = []
		const params: SqlStorageValue[] = []
		if (query.status) {
			where.push('status = ?')
			params.push(query.status)
		}
		if (query.before) {
			const { t, e, s } = query.before
			if (config.id < e) {
				where.push('received_at <= ?')
				params.push(t)
			} else if (config.id > e) {
				where.push('received_at < ?')
				params.push(t)
			} else {
				where.push('(received_at < ? OR (received_at = ? AND seq < ?))')
				params.push(t, t, s)
			}
		}
		const sql = `SELECT * FROM executions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			ORDER BY received_at DESC, seq DESC LIMIT ?`
		return this.#sql
			.exec<ExecutionRow>(sql, ...params, limit)
			.toArray()
			.map((row) => executionView(config.id, row))
	}
}

export function resultPath(executionId: string, token: string): string {
	return `/results/${executionId}/${token}`
}

function appendAttemptError(row: ExecutionRow, report: CompletionReport): unknown[] {
	const list = row.attempt_errors ? (JSON.parse(row.attempt_errors) as unknown[]) : []
	if (report.error)
		list.push({ attempt: row.attempts, error: report.error, at: new Date().toISOString() })
	return list
}

/** The outbox keeps messages as JSON with the body base64-encoded (rare path; no v8 blob API here). */
function serializeMessage(message: ExecutionMessage): string {
	const body = message.request.body
	return JSON.stringify({
		...message,
		request: {
			...message.request,
			body: 'inline' in body ? { inlineBase64: bytesToBase64(body.inline) } : body,
		},
	})
}

function deserializeMessage(stored: ArrayBuffer | string): ExecutionMessage {
	const text = typeof stored === 'string' ? stored : new TextDecoder().decode(stored)
	const parsed = JSON.parse(text) as ExecutionMessage & {
		request: { body: { inlineBase64?: string; r2Key?: string; size?: number } }
	}
	const body = parsed.request.body as { inlineBase64?: string; r2Key?: string; size?: number }
	return {
		...parsed,
		request: {
			...parsed.request,
			body:
				body.inlineBase64 !== undefined
					? { inline: base64ToBytes(body.inlineBase64) }
					: { r2Key: body.r2Key as string, size: body.size as number },
		},
	}
}
