/**
 * EndpointDO: the one owner of an endpoint's state. Everything that must be exact is
 * decided here, once, in a single round trip per request: delivery-id dedupe, admission
 * against the rolling window, the sequence number, the execution record, FIFO lanes and
 * the hand-off to the queue.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import {
	type ExecutionMessage,
	envelopeOverheadBytes,
	type RequestEnvelope,
} from '../execution/message'
import { decodeRequest, encodeRequest } from '../execution/message-codec'
import type { StoredResult } from '../execution/result-store'
import type { LogRecord, StepRecord } from '../execution/run-flow'
import { describe } from '../lib/errors'
import { executionIdFor, newResultToken } from '../lib/ids'
import type { JsonObject } from '../lib/json'
import { count, meteredEnv, meteredSql } from '../lib/meter'
import {
	DEDUPE_WINDOW_MS,
	EXECUTION_RETENTION_MS,
	LANE_STALL_MS,
	LEASE_GRACE_MS,
	LEASE_MS,
	MAX_PAGE_SIZE,
	MAX_QUEUE_MESSAGE_BYTES,
	RATE_WINDOW_MS,
	REDISPATCH_AFTER_MS,
	REDRIVE_AFTER_MS,
	RETENTION_SWEEP_EVERY_MS,
	RETENTION_SWEEP_MAX,
} from '../limits'
import { ActivityCounters, type ActivityMinute, type RefusalCounts } from './activity'
import {
	applyPatch,
	type EndpointConfig,
	type EndpointPatch,
	type InstanceSnapshot,
	instanceById,
} from './config'
import {
	EXECUTION_COLUMNS,
	type ExecutionRow,
	type ExecutionStatus,
	type ExecutionView,
	executionView,
	isTerminal,
} from './execution-record'
import { messageOf, Outbox } from './outbox'
import { RateWindow } from './rate-window'
import {
	abandonedReason,
	type DeliveryProgress,
	isPermanentRefusal,
	presumedLost,
	redriveDelayMs,
	redrivesExhausted,
	refusedReason,
	type SendTimes,
	type StalledStatus,
	sentAt,
} from './redrive'
import { migrate } from './schema'
import { SendBatcher, type SendResult } from './send-batcher'
import type { EndpointApi } from './stub'

export interface AcceptInput {
	request: RequestEnvelope
	deliveryId: string | null
	sync: boolean
	/** How long a synchronous request may wait for its flow, in ms. */
	waitMs: number
	/** The FIFO lane key the Worker selected ('' = the default lane); ignored unless FIFO. */
	laneKey: string | null
	/** The flow and instance the Worker routed the request to (checked here again). */
	flow: string
	instanceId: string
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

export interface StartedExecution {
	run: true
	executionId: string
	integration: string
	flow: string
	instance: InstanceSnapshot
	sync: boolean
	resultToken: string
	attempt: number
	/** Who holds the lease: what `renewLease` is called with while the flow runs. */
	leaseHolder: string
	/** The endpoint's URL when it serves several flows or instances. */
	invokeUrl: string | null
}

export type StartOutcome =
	| { run: false; reason: 'unknown' | 'held' | 'busy' }
	/**
	 * `resume`: this delivery's consumer failed while running its FIFO lane's chain; the
	 * execution it left running is started again for this redelivery to run.
	 */
	| { run: false; reason: 'finished'; resume?: ChainedExecution }
	| StartedExecution

/**
 * The next execution of a FIFO lane, already started for the consumer that asked to
 * chain: it runs it directly instead of waiting for a queue delivery.
 */
export interface ChainedExecution {
	message: ExecutionMessage
	start: StartedExecution
}

/** What `complete` answers: `next` only when the caller asked to chain. */
export interface CompletionOutcome {
	next?: ChainedExecution | null
}

export interface CompletionReport {
	status: 'succeeded' | 'retrying' | 'failed'
	error?: string
	steps: StepRecord[]
	logs: LogRecord[]
	/** Set when the flow returned a result: stored in R2, or carried here `inline`. */
	result?: StoredResult
	/** For `retrying`: when the queue will deliver the next attempt. */
	retryInSeconds?: number
	/**
	 * The attempt `start` counted never ran the flow (its policy was already used up), so
	 * it is taken back: recorded attempts never exceed the flow's policy.
	 */
	uncounted?: boolean
}

/** What the results route needs: the token to check, and a result kept in the row. */
export interface ResultAccess {
	token: string
	status: ExecutionStatus
	inline?: { body: ArrayBuffer; contentType: string; expiresAt: number }
}

export type ReplayOutcome =
	| { ok: true; executionId: string }
	| { ok: false; reason: 'execution_not_found' | 'endpoint_not_found' | 'no_request' }

export interface ListQuery {
	status?: ExecutionStatus
	limit: number
	/** Cursor: list executions strictly after this position in (receivedAt, endpointId, seq) desc order. */
	before?: { t: number; e: string; s: number }
	/** Only executions received in [from, to] (ms). */
	from?: number
	to?: number
}

type Waiter = (outcome: AcceptOutcome) => void

/**
 * Test-only switches for fault injection, reachable only through `runInDurableObject`
 * (never from a request).
 */
export interface EndpointFaults {
	queueSend?: boolean
	storage?: boolean
	/** The object dies once the request is durable, before the queue has it. */
	crashAfterRecord?: boolean
}

interface RecordOptions {
	source: 'trigger' | 'replay'
	sync: boolean
	deliveryId: string | null
	lane: string | null
	replayOf: string | null
	instanceId: string
	flow: string
}

/** A recorded execution and its staged outbox entry. */
interface Recorded {
	seq: number
	executionId: string
	resultToken: string
	lane: string | null
	message: ExecutionMessage
	/** Waiting behind its FIFO lane: nothing to send yet. */
	held: boolean
}

export class EndpointDO extends DurableObject<Env> implements EndpointApi {
	#sql: SqlStorage
	#outbox: Outbox
	#config: EndpointConfig | null = null
	#window: RateWindow | null = null
	#lastSeq = 0
	#waiters = new Map<number, Waiter[]>()
	/** Refusal counts per minute, for the console (in memory: live-ish, lost on eviction). */
	#activity = new ActivityCounters()
	/** Non-FIFO executions whose queue send has not returned yet. */
	#sending = new Set<number>()
	/** Persisted: every non-FIFO execution up to this seq reached the queue or the outbox. */
	#sentThrough = 0
	/** Seqs an earlier incarnation recorded above its watermark, until the alarm checks them. */
	#unconfirmed: { after: number; through: number } | null = null
	/** Deliveries seen, for telling a lost message from a late one (see `presumedLost`). */
	#progress: DeliveryProgress = { lastStartAt: null, newestStartedSentAt: 0 }
	/** The alarm time we last set (null: none); spares a storage read per request. */
	#alarmAt: number | null = null
	readonly faults: EndpointFaults = {}
	#batcher = new SendBatcher<ExecutionMessage>(
		() => ({
			send: async (m) => {
				if (this.faults.queueSend) throw new Error('injected queue fault')
				await this.env.EXECUTIONS.send(m, { contentType: 'v8' })
			},
			sendBatch: async (ms) => {
				if (this.faults.queueSend) throw new Error('injected queue fault')
				await this.env.EXECUTIONS.sendBatch(
					ms.map((body) => ({ body, contentType: 'v8' as const })),
				)
			},
		}),
		messageBytes,
	)

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, meteredEnv(env))
		this.#sql = meteredSql(ctx.storage.sql)
		this.#outbox = new Outbox(this.#sql)
		ctx.blockConcurrencyWhile(async () => {
			migrate(this.#sql)
			this.#load()
			if (this.#lastSeq > this.#sentThrough)
				this.#unconfirmed = { after: this.#sentThrough, through: this.#lastSeq }
			this.#alarmAt = await ctx.storage.getAlarm()
		})
	}

	#load(): void {
		const meta = this.#sql
			.exec<{ key: string; value: string }>('SELECT key, value FROM meta')
			.toArray()
		for (const { key, value } of meta) {
			if (key === 'config') this.#config = JSON.parse(value) as EndpointConfig
			if (key === 'sent_through') this.#sentThrough = Number(value)
		}
		// The newest execution row holds the last sequence number (retention never deletes
		// it), which spares a write per request.
		this.#lastSeq =
			this.#sql.exec<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM executions').one().seq ??
			0
		this.#window = this.#config
			? this.#restoreWindow(this.#config.rateLimit.requestsPerSecond)
			: null
	}

	/**
	 * The admission log is the execution table itself (every admitted request has a row),
	 * so the window survives eviction without a write of its own. Read from the time index:
	 * ordered by seq, the query walked back through the whole table whenever the last
	 * second held fewer than `limit` admissions, which is every wake after a quiet spell
	 * (75 ms at 200,000 records, before the object could answer).
	 */
	#restoreWindow(limit: number): RateWindow {
		const rows = this.#sql
			.exec<{ received_at: number }>(
				`SELECT received_at FROM executions INDEXED BY executions_by_time
				 WHERE received_at > ? AND source = 'trigger' ORDER BY received_at DESC, seq DESC LIMIT ?`,
				Date.now() - RATE_WINDOW_MS,
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

	/** Replaces the endpoint's copy of an instance (new state from a deploy hook, a new member of a shared endpoint). */
	async putInstance(snapshot: InstanceSnapshot): Promise<boolean> {
		const config = this.#config
		if (!config || config.deletedAt) return false
		if (config.endpointMode === 'shared') {
			const sharedInstances = { ...config.sharedInstances }
			for (const [key, value] of Object.entries(sharedInstances))
				if (value.id === snapshot.id) delete sharedInstances[key]
			sharedInstances[snapshot.routingKey] = snapshot
			this.#saveConfig({ ...config, sharedInstances })
		} else if (config.instance?.id === snapshot.id) {
			this.#saveConfig({ ...config, instance: snapshot })
		} else {
			return false
		}
		return true
	}

	/** Records what an instance's deploy hook returned, on this endpoint's copy of it. */
	async setInstanceState(instanceId: string, state: JsonObject): Promise<void> {
		const config = this.#config
		const snapshot = config ? instanceById(config, instanceId) : null
		if (snapshot) await this.putInstance({ ...snapshot, state })
	}

	/** Removes an instance from a shared endpoint: its requests answer 404 from now on. */
	async removeInstance(instanceId: string): Promise<void> {
		const config = this.#config
		if (config?.endpointMode !== 'shared') return
		const sharedInstances = Object.fromEntries(
			Object.entries(config.sharedInstances).filter(([, v]) => v.id !== instanceId),
		)
		this.#saveConfig({ ...config, sharedInstances })
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

		const instance = instanceById(config, input.instanceId)
		if (!instance || !input.flow) return { kind: 'not_found' }

		const admission = this.#window.admit(now)
		if (!admission.admitted) {
			this.#activity.bump(now, 'rateLimited')
			return {
				kind: 'rate_limited',
				retryAfterMs: admission.retryAfterMs,
				limit: this.#window.limit,
			}
		}

		const lane = config.fifo ? (input.laneKey ?? '') : null
		let recorded: Recorded
		try {
			recorded = this.#recordAndStage(input.request, now, {
				source: 'trigger',
				sync: input.sync,
				deliveryId: input.deliveryId,
				lane,
				replayOf: null,
				instanceId: instance.id,
				flow: input.flow,
			})
		} catch (err) {
			this.#window.revertLast()
			log('error', 'accept: storage write failed', { endpointId: config.id, error: describe(err) })
			return { kind: 'unavailable' }
		}
		// Durable with the rows above, before the answer leaves: if this object dies before
		// the queue has the message, the alarm sends it from the outbox.
		await this.#scheduleAlarm(now + REDISPATCH_AFTER_MS)
		if (this.faults.crashAfterRecord) {
			await this.ctx.storage.sync()
			this.ctx.abort('injected crash after record')
		}

		const { seq, executionId, resultToken } = recorded
		const waiting = input.sync ? this.#waitFor(seq, input.waitMs, executionId, resultToken) : null
		// The sender's answer does not wait for the queue: the request is already durable
		// in the outbox, which is what the answer promises.
		void this.#handOff(recorded)
		if (waiting) return waiting
		return { kind: 'accepted', executionId, duplicate: false }
	}

	/**
	 * The execution row and, for a FIFO execution, its outbox entry. The statements have
	 * no await between them, so they commit together, and the output gate holds our answer
	 * until they are durable. If one fails, those before it would still commit with this
	 * turn's writes, so they are undone here: an execution is never recorded without the
	 * means to send it. (`transactionSync` would do the same, at 5–8% of accept throughput.)
	 *
	 * The FIFO entry waits `held` behind a busy lane, or is staged in flight, due for a
	 * re-send soon unless the queue takes it first. A non-FIFO execution needs no entry of
	 * its own: while it is `queued` past the sent watermark, its row is the outbox.
	 */
	#recordAndStage(req: RequestEnvelope, now: number, opts: RecordOptions): Recorded {
		const seq = this.#lastSeq + 1
		const { lane } = opts
		try {
			const recorded = this.#record(seq, req, now, opts)
			// After the first write, so that the undo below is what the fault test sees.
			if (this.faults.storage) throw new Error('injected storage fault')
			const message = this.#message(seq, req, now)
			const held = lane !== null && this.#outbox.laneBusy(lane)
			if (lane !== null) {
				this.#outbox.store(
					seq,
					lane,
					held ? 'held' : 'inflight',
					held ? null : now + REDISPATCH_AFTER_MS,
					message,
				)
			}
			this.#lastSeq = seq
			// Until its send returns, the sent watermark stays below it (see #handOff).
			if (lane === null) this.#sending.add(seq)
			return { ...recorded, lane, message, held }
		} catch (err) {
			this.#unrecord(seq)
			throw err
		}
	}

	#unrecord(seq: number): void {
		try {
			this.#sql.exec('DELETE FROM executions WHERE seq = ?', seq)
			this.#sql.exec('DELETE FROM deliveries WHERE seq = ?', seq)
			this.#outbox.remove(seq)
		} catch (err) {
			log('error', 'could not undo a partly recorded execution', { seq, error: describe(err) })
		}
	}

	/** Writes the execution row (and the delivery id). */
	#record(
		seq: number,
		req: RequestEnvelope,
		now: number,
		opts: RecordOptions,
	): { seq: number; executionId: string; resultToken: string } {
		const config = this.#config as EndpointConfig
		const resultToken = newResultToken()
		const stored = encodeRequest(req)
		this.#sql.exec(
			`INSERT INTO executions (seq, status, attempts, received_at, lease_until, source, sync, delivery_id,
			   instance_id, flow, result_token, method, path, content_type, size, updated_at, lane, replay_of,
			   request, request_body)
			 VALUES (?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			seq,
			now,
			// The backstop's deadline, in the same write: past it the message is overdue.
			now + REDRIVE_AFTER_MS,
			opts.source,
			opts.sync ? 1 : 0,
			opts.deliveryId,
			opts.instanceId,
			opts.flow,
			resultToken,
			req.method,
			req.pathFragment,
			req.contentType,
			'inline' in req.body ? req.body.inline.byteLength : req.body.size,
			now,
			opts.lane,
			opts.replayOf,
			JSON.stringify(stored.meta),
			stored.body,
		)
		if (opts.deliveryId) {
			this.#sql.exec(
				'INSERT OR REPLACE INTO deliveries (delivery_id, seq, received_at) VALUES (?, ?, ?)',
				opts.deliveryId,
				seq,
				now,
			)
		}
		return { seq, executionId: executionIdFor(config.id, seq), resultToken }
	}

	#message(seq: number, request: RequestEnvelope, receivedAt: number): ExecutionMessage {
		const config = this.#config as EndpointConfig
		return {
			v: 1,
			executionId: executionIdFor(config.id, seq),
			endpointId: config.id,
			sequence: seq,
			request: { ...request, receivedAt },
		}
	}

	/**
	 * Sends a recorded execution to the queue. A FIFO execution's outbox entry stays until
	 * it finishes. A non-FIFO execution the queue refuses gets an entry, due for the
	 * alarm's re-send; if this object dies first, the alarm finds its row past the sent
	 * watermark instead.
	 */
	async #handOff({ seq, lane, message, held }: Recorded): Promise<void> {
		if (held) return
		if (lane !== null) return this.#dispatchInflight(seq, lane, message)
		try {
			await this.#sendOrKeep(seq, message)
		} finally {
			this.#sending.delete(seq)
		}
	}

	/**
	 * After a restart: non-FIFO executions recorded by an earlier incarnation past its
	 * sent watermark, still `queued` and without an outbox entry, may never have reached
	 * the queue. They are sent again (a duplicate of one that did is dropped by `start`).
	 */
	async #recoverUnsent(): Promise<Set<number>> {
		const sent = new Set<number>()
		const range = this.#unconfirmed
		if (!range) return sent
		const rows = this.#sql
			.exec<{ seq: number; received_at: number }>(
				`SELECT seq, received_at FROM executions
				 WHERE seq > ? AND seq <= ? AND lane IS NULL AND status = 'queued'
				   AND seq NOT IN (SELECT seq FROM pending)`,
				range.after,
				range.through,
			)
			.toArray()
		for (const { seq, received_at } of rows) {
			const request = this.#storedRequest(seq)
			if (!request) continue
			log('warn', 'execution re-sent after a restart', {
				executionId: executionIdFor((this.#config as EndpointConfig).id, seq),
			})
			sent.add(seq)
			await this.#sendOrKeep(seq, this.#message(seq, request, received_at))
		}
		this.#unconfirmed = null
		return sent
	}

	/**
	 * Sends a non-FIFO message. One the queue refuses for good ends the execution
	 * `failed` with the queue's reason; otherwise the row's deadline moves to the next
	 * try, for the alarm (its row is its outbox entry).
	 */
	async #sendOrKeep(seq: number, message: ExecutionMessage): Promise<void> {
		const sent = await this.#send(message)
		if (!sent.ok) await this.#refused(seq, null, sent.error, message)
	}

	/**
	 * A refused send: final (the message itself is unacceptable) or out of tries, the
	 * execution fails with the reason, which wakes a synchronous caller and frees a FIFO
	 * lane; otherwise it is sent again after a backoff, as a re-drive.
	 */
	async #refused(
		seq: number,
		lane: string | null,
		error: unknown,
		message: ExecutionMessage,
	): Promise<void> {
		const row = this.#row(seq)
		if (!row || isTerminal(row.status)) return
		const oversize = messageBytes(message) > MAX_QUEUE_MESSAGE_BYTES
		if (isPermanentRefusal(error, oversize) || redrivesExhausted(row.redrives)) {
			await this.complete(seq, failure(refusedReason(error)))
			return
		}
		const n = row.redrives + 1
		const due = Date.now() + redriveDelayMs(n, REDISPATCH_AFTER_MS)
		if (lane === null) {
			this.#sql.exec(
				'UPDATE executions SET redrives = ?, lease_until = ? WHERE seq = ? AND lease_holder IS NULL',
				n,
				due,
				seq,
			)
		} else {
			this.#sql.exec('UPDATE executions SET redrives = ? WHERE seq = ?', n, seq)
			this.#outbox.setDue(seq, due)
		}
		await this.#scheduleAlarm(due)
	}

	/** Every non-FIFO execution up to here has reached the queue or the outbox. */
	#advanceSentWatermark(): void {
		let through = this.#lastSeq
		for (const seq of this.#sending) through = Math.min(through, seq - 1)
		if (through <= this.#sentThrough) return
		this.#sentThrough = through
		this.#sql.exec(
			"INSERT INTO meta (key, value) VALUES ('sent_through', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			String(through),
		)
	}

	/**
	 * Sends an in-flight FIFO message, due for a re-drive after `stallMs` unless the lane
	 * moves first; a refused one is handled as any refusal.
	 */
	async #dispatchInflight(
		seq: number,
		lane: string,
		message: ExecutionMessage,
		stallMs = LANE_STALL_MS,
	): Promise<void> {
		const sent = await this.#send(message)
		if (!sent.ok) return this.#refused(seq, lane, sent.error, message)
		const due = Date.now() + stallMs
		this.#outbox.setDue(seq, due)
		await this.#scheduleAlarm(due)
	}

	async #send(message: ExecutionMessage): Promise<SendResult> {
		const sent = await this.#batcher.send(message)
		if (!sent.ok)
			log('warn', 'queue send failed', {
				executionId: message.executionId,
				error: describe(sent.error),
			})
		return sent
	}

	/** Releases the next held execution of a lane, if the lane is free. */
	async #releaseLane(lane: string): Promise<void> {
		const next = this.#outbox.takeHeld(lane, Date.now() + LANE_STALL_MS)
		if (next) await this.#dispatchInflight(next.seq, lane, messageOf(next))
	}

	/**
	 * Like `#releaseLane`, but starts the next execution for `holder` instead of sending
	 * it. Its in-flight deadline stays: if the holder vanishes, the alarm re-drives the
	 * lane as it would a lost delivery.
	 */
	async #chainLane(lane: string, holder: string): Promise<ChainedExecution | null> {
		const next = this.#outbox.takeHeld(lane, Date.now() + LANE_STALL_MS)
		if (!next) return null
		const message = messageOf(next)
		const found = this.#withInstance(next.seq)
		if (!found || isTerminal(found.row.status)) {
			// Nothing runnable to hand over: the queue path settles it as it always has.
			await this.#dispatchInflight(next.seq, lane, message)
			return null
		}
		const { row, config, instance } = found
		// #begin's lease alarm falls when the lane's deadline does (LANE_STALL_MS is the
		// lease plus its grace), so the deadline needs no alarm of its own.
		return { message, start: await this.#begin(row, config, instance, chainHolder(holder)) }
	}

	async #scheduleAlarm(at: number): Promise<void> {
		if (this.#alarmAt !== null && this.#alarmAt <= at) return
		this.#alarmAt = at
		// Billed as a row written.
		count('rowsWritten')
		count('alarmsSet')
		await this.ctx.storage.setAlarm(at)
	}

	/**
	 * Re-sends messages whose hand-off failed, re-drives FIFO lanes whose in-flight
	 * execution made no progress (a lost completion report), and keeps storage bounded:
	 * delivery ids older than 24 h and finished executions past retention are dropped.
	 * Idempotent: alarms are delivered at least once.
	 */
	override async alarm(): Promise<void> {
		count('doRequests')
		this.#alarmAt = null
		const now = Date.now()
		const recovered = await this.#recoverUnsent()
		this.#advanceSentWatermark()
		await this.#redriveLanes(now)
		const postponed = await this.#redriveOverdue(now, recovered)
		const nextDeadline = this.#sql
			.exec<{ at: number | null }>(
				`SELECT MIN(CASE WHEN status = 'running' THEN lease_until + ? ELSE COALESCE(lease_until, 0) END) AS at
				 FROM executions WHERE status IN ('queued', 'running', 'retrying') AND lane IS NULL`,
				LEASE_GRACE_MS,
			)
			.one().at

		this.#sql.exec('DELETE FROM deliveries WHERE received_at <= ?', now - DEDUPE_WINDOW_MS)
		// Expired results kept in rows: the URL already refuses them; free the space.
		this.#sql.exec(
			'UPDATE executions SET result_body = NULL, result_expires_at = NULL WHERE result_body IS NOT NULL AND result_expires_at <= ?',
			now,
		)
		const swept = this.#sweepExpiredExecutions(now - EXECUTION_RETENTION_MS)
		const nextRecordExpiry = this.#nextRecordExpiry()

		const nextDue = this.#outbox.nextDue()
		const oldestDelivery = this.#sql
			.exec<{ at: number | null }>('SELECT MIN(received_at) AS at FROM deliveries')
			.one().at
		const nextResultExpiry = this.#sql
			.exec<{ at: number | null }>(
				'SELECT MIN(result_expires_at) AS at FROM executions WHERE result_body IS NOT NULL',
			)
			.one().at
		const candidates = [
			// Sends still out hold the watermark back: come back to persist it.
			this.#sending.size > 0 ? now + REDISPATCH_AFTER_MS : null,
			swept === RETENTION_SWEEP_MAX ? now : null,
			// Without this an idle endpoint would keep expired records until its next request.
			nextRecordExpiry === null ? null : Math.max(nextRecordExpiry, now + RETENTION_SWEEP_EVERY_MS),
			nextDue,
			nextResultExpiry,
			nextDeadline,
			postponed ? now + REDRIVE_AFTER_MS : null,
			oldestDelivery === null ? null : oldestDelivery + DEDUPE_WINDOW_MS,
		].filter((t): t is number => t !== null)
		if (candidates.length) await this.#scheduleAlarm(Math.max(Math.min(...candidates), now + 1000))
	}

	/**
	 * FIFO lanes whose in-flight execution is past its deadline: the message is sent
	 * again, unless a live runner holds the execution (it renews its lease; wait for
	 * that). Outbox entries of finished executions are dropped, freeing their lanes.
	 */
	async #redriveLanes(now: number): Promise<void> {
		for (const entry of this.#outbox.due(now, 200)) {
			const exec = this.#row(entry.seq)
			if (!exec || isTerminal(exec.status)) {
				this.#outbox.remove(entry.seq)
				if (entry.lane !== null) await this.#releaseLane(entry.lane)
				continue
			}
			// An entry of a non-FIFO execution (written by an earlier version while the queue
			// refused it): its row's deadline drives it now.
			if (entry.lane === null) {
				this.#outbox.remove(entry.seq)
				continue
			}
			const leaseEnds = exec.status === 'running' ? (exec.lease_until ?? 0) + LEASE_GRACE_MS : 0
			if (leaseEnds > now) {
				this.#outbox.setDue(entry.seq, leaseEnds)
				continue
			}
			if (redrivesExhausted(exec.redrives)) {
				await this.complete(entry.seq, failure(abandonedReason(stalled(exec), exec.redrives)))
				continue
			}
			const n = exec.redrives + 1
			this.#sql.exec('UPDATE executions SET redrives = ? WHERE seq = ?', n, entry.seq)
			const message = messageOf(entry)
			log('warn', 'fifo lane re-driven', { executionId: message.executionId, lane: entry.lane })
			await this.#dispatchInflight(entry.seq, entry.lane, message, redriveDelayMs(n, LANE_STALL_MS))
		}
	}

	/**
	 * Non-FIFO executions past their deadline: a queued or retrying one whose message is
	 * overdue, or a running one whose runner stopped renewing its lease. Each is sent
	 * again, and the next delivery takes it over (`start` counts the attempt, and never
	 * runs a finished execution). Bounded: after REDRIVE_MAX re-drives it fails with the
	 * reason. A message that is only late (the consumer is still working through older
	 * ones) is left alone; true when one was, for the alarm to look again.
	 * `skip`: just re-sent by the restart recovery.
	 */
	async #redriveOverdue(now: number, skip: Set<number>): Promise<boolean> {
		let postponed = false
		const overdue = this.#sql
			.exec<
				{ seq: number; status: StalledStatus; lease_until: number | null } & Omit<
					SendTimes,
					'status' | 'lease_until'
				>
			>(
				`SELECT seq, status, redrives, received_at, updated_at, lease_until FROM executions
				 WHERE status IN ('queued', 'running', 'retrying') AND lane IS NULL
				   AND (lease_until IS NULL OR lease_until <= CASE WHEN status = 'running' THEN ?1 ELSE ?2 END)
				 ORDER BY seq LIMIT 200`,
				now - LEASE_GRACE_MS,
				now,
			)
			.toArray()
		for (const row of overdue) {
			if (skip.has(row.seq) || this.#sending.has(row.seq)) continue
			if (row.status !== 'running' && !presumedLost(sentAt(row), this.#progress, now)) {
				postponed = true
				continue
			}
			if (redrivesExhausted(row.redrives)) {
				await this.complete(row.seq, failure(abandonedReason(row.status, row.redrives)))
				continue
			}
			const request = this.#storedRequest(row.seq)
			if (!request) {
				await this.complete(row.seq, failure('Execution lost: its request is no longer stored.'))
				continue
			}
			// Before the send, with no await between read and write: whoever starts it next
			// finds it free to take.
			const n = row.redrives + 1
			const at = Date.now()
			this.#sql.exec(
				'UPDATE executions SET redrives = ?, lease_holder = NULL, lease_until = ?, updated_at = ? WHERE seq = ?',
				n,
				at + redriveDelayMs(n, REDRIVE_AFTER_MS),
				at,
				row.seq,
			)
			const message = this.#message(row.seq, request, row.received_at)
			log('warn', 'execution re-driven', {
				executionId: message.executionId,
				status: row.status,
				redrives: n,
			})
			const sent = await this.#send(message)
			if (!sent.ok) await this.#refused(row.seq, null, sent.error, message)
		}
		return postponed
	}

	/**
	 * Drops records that finished before `cutoff`, oldest first, at most
	 * RETENTION_SWEEP_MAX of them; returns how many. The range is read from the
	 * time index: a record finishes after it is received, so none finished before the
	 * cutoff was received after it. Filtering on status alone walked every finished
	 * record on each alarm, which runs every few seconds on a busy endpoint: 77 ms per
	 * alarm at 200,000 records, and a month of them at 50/s is 130 million. The newest
	 * record stays, because the next sequence number is derived from it.
	 */
	#sweepExpiredExecutions(cutoff: number): number {
		this.#sql.exec(
			`DELETE FROM executions WHERE seq IN (
			   SELECT seq FROM executions INDEXED BY executions_by_time
			   WHERE received_at <= ?1 AND finished_at <= ?1 AND ${SWEEPABLE}
			   ORDER BY received_at LIMIT ?2)`,
			cutoff,
			RETENTION_SWEEP_MAX,
		)
		// rowsWritten would count index entries too.
		return this.#sql.exec<{ n: number }>('SELECT changes() AS n').one().n
	}

	/**
	 * When the oldest sweepable record (finished, not the newest) expires; null if there
	 * is none. Read from the time index, oldest first, which stops at the first match.
	 */
	#nextRecordExpiry(): number | null {
		const row = this.#sql
			.exec<{ finished_at: number }>(
				`SELECT finished_at FROM executions INDEXED BY executions_by_time
				 WHERE ${SWEEPABLE} ORDER BY received_at, seq LIMIT 1`,
			)
			.toArray()[0]
		return row ? row.finished_at + EXECUTION_RETENTION_MS : null
	}

	#answerDuplicate(seq: number, input: AcceptInput): AcceptOutcome | Promise<AcceptOutcome> {
		const row = this.#row(seq)
		const config = this.#config as EndpointConfig
		const executionId = executionIdFor(config.id, seq)
		if (!row || !input.sync) return { kind: 'accepted', executionId, duplicate: true }
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

	// ----- replay ----------------------------------------------------------------------

	/**
	 * Runs an execution's stored request again as a new execution. Replays are operator
	 * actions: they skip the rate window and dedupe, and take the original's FIFO lane.
	 * `legacyRequest` is for executions recorded before requests were kept in the row
	 * (the caller read their R2 archive after this answered `no_request`).
	 */
	async replay(sourceSeq: number, legacyRequest?: RequestEnvelope): Promise<ReplayOutcome> {
		const config = this.#config
		const source = this.#row(sourceSeq)
		if (!source) return { ok: false, reason: 'execution_not_found' }
		if (!config || config.deletedAt) return { ok: false, reason: 'endpoint_not_found' }
		const request = legacyRequest ?? this.#storedRequest(sourceSeq)
		if (!request) return { ok: false, reason: 'no_request' }
		const now = Date.now()
		const lane = config.fifo ? (source.lane ?? '') : null
		const recorded = this.#recordAndStage(request, now, {
			source: 'replay',
			sync: false,
			deliveryId: null,
			lane,
			replayOf: executionIdFor(config.id, sourceSeq),
			instanceId: source.instance_id,
			flow: source.flow,
		})
		await this.#scheduleAlarm(now + REDISPATCH_AFTER_MS)
		await this.#handOff(recorded)
		return { ok: true, executionId: recorded.executionId }
	}

	// ----- the consumer's side -----------------------------------------------------

	/**
	 * Called by the consumer before it runs an attempt. A finished execution never runs
	 * again, whatever the queue redelivers; a held FIFO execution waits for its turn; and
	 * while one delivery holds the lease, a duplicate delivery of the same execution is
	 * told `busy` (and dropped: the holder's own message stays in the queue until it is
	 * acked, the lease-expiry alarm covers a holder that vanished). A redelivery of the
	 * holder's own message (same message id: the queue only redelivers after that
	 * consumer failed) takes over at once.
	 *
	 * Attempts are counted here, not from the queue's delivery count, which also counts
	 * crashed batches that never started the flow.
	 */
	async start(seq: number, messageId: string): Promise<StartOutcome> {
		const config = this.#config
		const row = this.#row(seq)
		if (!config || !row) return { run: false, reason: 'unknown' }
		if (isTerminal(row.status)) {
			const resume = row.lane === null ? null : await this.#resumeChain(row.lane, messageId)
			return resume
				? { run: false, reason: 'finished', resume }
				: { run: false, reason: 'finished' }
		}
		const instance = instanceById(config, row.instance_id)
		if (!instance) return { run: false, reason: 'unknown' }
		const now = Date.now()
		if (row.lane !== null && this.#outbox.stateOf(seq) === 'held')
			return { run: false, reason: 'held' }
		if (leasedToOther(row, messageId, now)) return { run: false, reason: 'busy' }
		if (row.lane === null && row.status !== 'running') {
			this.#progress.lastStartAt = now
			this.#progress.newestStartedSentAt = Math.max(this.#progress.newestStartedSentAt, sentAt(row))
		}
		return this.#begin(row, config, instance, messageId)
	}

	/**
	 * A chain runs under its queue message, which the consumer acks only when the chain
	 * is over. So a redelivery of that message means its consumer failed mid-chain, and
	 * the lane execution it was running (leased to `chain:<message id>`) is taken over
	 * now, as a redelivery takes over its own execution, instead of at the lane's
	 * deadline. The lost attempt counts, as a crashed delivery's does.
	 */
	async #resumeChain(lane: string, messageId: string): Promise<ChainedExecution | null> {
		const inflight = this.#outbox.inflightOf(lane)
		const found = inflight ? this.#withInstance(inflight.seq) : null
		if (!inflight || !found) return null
		const { row, config, instance } = found
		const holder = chainHolder(messageId)
		if (row.status !== 'running' || row.lease_holder !== holder) return null
		const message = messageOf(inflight)
		// A new lane deadline for the new lease (#begin's alarm falls at the same time).
		this.#outbox.setDue(inflight.seq, Date.now() + LANE_STALL_MS)
		return { message, start: await this.#begin(row, config, instance, holder) }
	}

	/** An execution's row with the config and instance it runs under, if all three exist. */
	#withInstance(
		seq: number,
	): { row: ExecutionRow; config: EndpointConfig; instance: InstanceSnapshot } | null {
		const config = this.#config
		const row = this.#row(seq)
		const instance = config && row ? instanceById(config, row.instance_id) : null
		return config && row && instance ? { row, config, instance } : null
	}

	/** Counts an attempt and leases the execution to `holder` (a delivery or a chaining consumer). */
	async #begin(
		row: ExecutionRow,
		config: EndpointConfig,
		instance: InstanceSnapshot,
		holder: string,
	): Promise<StartedExecution> {
		const now = Date.now()
		const seq = row.seq
		const attempts = row.attempts + 1
		this.#sql.exec(
			`UPDATE executions SET status = 'running', attempts = ?, started_at = COALESCE(started_at, ?),
			   updated_at = ?, lease_holder = ?, lease_until = ? WHERE seq = ?`,
			attempts,
			now,
			now,
			holder,
			now + LEASE_MS,
			seq,
		)
		// If this runner dies without a report, the alarm takes the execution over.
		await this.#scheduleAlarm(now + LEASE_MS + LEASE_GRACE_MS)
		return {
			run: true,
			executionId: executionIdFor(config.id, seq),
			integration: config.integration,
			flow: row.flow,
			instance,
			sync: row.sync === 1,
			resultToken: row.result_token,
			attempt: attempts,
			leaseHolder: holder,
			invokeUrl:
				config.endpointMode === 'instance-flow' ? null : (instance.webhookUrls[row.flow] ?? null),
		}
	}

	/**
	 * Records an attempt's outcome. A terminal one releases the FIFO lane and wakes any
	 * synchronous caller waiting. With `chain`, the lane's next execution is not sent
	 * through the queue but started here and handed back for the caller to run: a queue
	 * hop per lane step would cap a lane far below the endpoint's rate.
	 */
	async complete(
		seq: number,
		report: CompletionReport,
		chain?: { holder: string },
	): Promise<CompletionOutcome> {
		const row = this.#row(seq)
		if (!row || isTerminal(row.status)) return {}
		const now = Date.now()
		const terminal = report.status !== 'retrying'
		// A retry's deadline: its message is overdue once the retry delay has passed.
		const deadline = terminal ? null : now + (report.retryInSeconds ?? 0) * 1000 + REDRIVE_AFTER_MS
		this.#sql.exec(
			`UPDATE executions SET status = ?, error = ?, steps = ?, logs = ?, result_type = ?, result_size = ?,
			   result_body = ?, result_expires_at = ?, finished_at = ?, updated_at = ?, attempt_errors = ?,
			   lease_holder = NULL, lease_until = ?, attempts = ?
			 WHERE seq = ?`,
			report.status,
			report.error ?? null,
			JSON.stringify(report.steps),
			JSON.stringify(report.logs),
			report.result?.contentType ?? null,
			report.result?.size ?? null,
			report.result?.inline ?? null,
			report.result?.inline ? report.result.expiresAt : null,
			terminal ? now : null,
			now,
			JSON.stringify(appendAttemptError(row, report)),
			deadline,
			report.uncounted ? Math.max(0, row.attempts - 1) : row.attempts,
			seq,
		)
		if (report.result?.inline) await this.#scheduleAlarm(report.result.expiresAt)
		if (deadline !== null && row.lane === null) await this.#scheduleAlarm(deadline)
		if (!terminal) {
			if (row.lane !== null) {
				// The lane waits through the retry delay; re-drive only if nothing comes back.
				const due = now + (report.retryInSeconds ?? 0) * 1000 + LANE_STALL_MS
				this.#outbox.setDue(seq, due)
				await this.#scheduleAlarm(due)
			}
			return {}
		}
		this.#outbox.remove(seq)
		const waiters = this.#waiters.get(seq)
		if (waiters) {
			this.#waiters.delete(seq)
			const outcome = this.#finished(this.#row(seq) as ExecutionRow)
			for (const w of waiters) w(outcome)
		}
		if (row.lane === null) return {}
		if (chain) return { next: await this.#chainLane(row.lane, chain.holder) }
		await this.#releaseLane(row.lane)
		return {}
	}

	/**
	 * A message exhausted the queue's retries. The execution fails unless another live
	 * delivery holds it (the dead message was a duplicate) or it is a held FIFO execution
	 * (the lane will dispatch it in turn).
	 */
	async deadLetter(seq: number, messageId: string, report: CompletionReport): Promise<void> {
		const row = this.#row(seq)
		if (!row || isTerminal(row.status)) return
		if (leasedToOther(row, messageId, Date.now()) || this.#outbox.stateOf(seq) === 'held') return
		await this.complete(seq, report)
	}

	/**
	 * A runner still at work keeps its lease (every LEASE_RENEW_EVERY_MS); false when the
	 * lease is no longer its own (it lapsed and the execution was taken over).
	 */
	async renewLease(seq: number, holder: string): Promise<boolean> {
		this.#sql.exec(
			"UPDATE executions SET lease_until = ? WHERE seq = ? AND status = 'running' AND lease_holder = ?",
			Date.now() + LEASE_MS,
			seq,
			holder,
		)
		return this.#sql.exec<{ n: number }>('SELECT changes() AS n').one().n > 0
	}

	// ----- reads ---------------------------------------------------------------------

	#row(seq: number): ExecutionRow | undefined {
		return this.#sql
			.exec<ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM executions WHERE seq = ?`, seq)
			.toArray()[0]
	}

	/**
	 * The request an execution was recorded with, exactly as received (for the console),
	 * or null if the execution is unknown or predates stored requests.
	 */
	async requestOf(seq: number): Promise<RequestEnvelope | null> {
		return this.#storedRequest(seq)
	}

	#storedRequest(seq: number): RequestEnvelope | null {
		const row = this.#sql
			.exec<{ request: string | null; request_body: ArrayBuffer | null }>(
				'SELECT request, request_body FROM executions WHERE seq = ?',
				seq,
			)
			.toArray()[0]
		return row?.request ? decodeRequest(JSON.parse(row.request), row.request_body) : null
	}

	async getExecution(seq: number): Promise<ExecutionView | null> {
		const config = this.#config
		const row = this.#row(seq)
		return config && row ? executionView(config.id, row) : null
	}

	/**
	 * The token guarding an execution's result URL, for the results route to check, and
	 * the result itself when it is kept in the row (not yet expired and cleared).
	 */
	async resultAccess(seq: number): Promise<ResultAccess | null> {
		const row = this.#sql
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
		const access: ResultAccess = { token: row.result_token, status: row.status }
		if (row.result_body !== null && row.result_expires_at !== null) {
			access.inline = {
				body: row.result_body,
				contentType: row.result_type ?? 'application/octet-stream',
				expiresAt: row.result_expires_at,
			}
		}
		return access
	}

	async listExecutions(query: ListQuery): Promise<ExecutionView[]> {
		const config = this.#config
		if (!config) return []
		const limit = Math.min(Math.max(1, query.limit), MAX_PAGE_SIZE + 1)
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
		const sql = `SELECT ${EXECUTION_COLUMNS} FROM executions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
			ORDER BY received_at DESC, seq DESC LIMIT ?`
		return this.#sql
			.exec<ExecutionRow>(sql, ...params, limit)
			.toArray()
			.map((row) => executionView(config.id, row))
	}

	/** Requests refused at the edge (401) as reported by Workers, for the console. */
	async reportRefusals(counts: RefusalCounts): Promise<void> {
		const now = Date.now()
		if (counts.unauthorized > 0) this.#activity.bump(now, 'unauthorized', counts.unauthorized)
		if (counts.rateLimited > 0) this.#activity.bump(now, 'rateLimited', counts.rateLimited)
	}

	/** Admitted and refused requests per minute over the last `minutes` minutes, oldest first. */
	async activity(minutes: number): Promise<ActivityMinute[]> {
		const now = Date.now()
		const since = Math.floor(now / 60_000 - minutes + 1) * 60_000
		const admitted = this.#sql
			.exec<{ minute: number; n: number }>(
				"SELECT received_at / 60000 AS minute, COUNT(*) AS n FROM executions WHERE source = 'trigger' AND received_at >= ? GROUP BY minute",
				since,
			)
			.toArray()
		return this.#activity.minutes(
			now,
			minutes,
			new Map(admitted.map((r) => [Math.floor(r.minute), r.n])),
		)
	}

	/** Storage counters, for operators and for tests that prove storage stays bounded. */
	async stats(): Promise<{
		executions: number
		deliveries: number
		pending: number
		held: number
	}> {
		const count = (sql: string) => this.#sql.exec<{ n: number }>(sql).one().n
		return {
			executions: count('SELECT COUNT(*) AS n FROM executions'),
			deliveries: count('SELECT COUNT(*) AS n FROM deliveries'),
			...this.#outbox.counts(),
		}
	}
}

/**
 * Records the retention sweep may drop once expired: finished ones, except the newest,
 * which carries the sequence number. The sweep and the alarm's next-expiry read share it,
 * so the alarm never waits for a record the sweep would not take.
 */
const SWEEPABLE = "status IN ('succeeded', 'failed') AND seq < (SELECT MAX(seq) FROM executions)"

/** An upper bound of a message's serialized size. */
const messageBytes = (m: ExecutionMessage): number =>
	envelopeOverheadBytes(m.request) +
	('inline' in m.request.body ? m.request.body.inline.byteLength : 0)

/** While another runner's lease on a running execution lasts, nobody else may start it. */
const leasedToOther = (row: ExecutionRow, messageId: string, now: number): boolean =>
	row.status === 'running' &&
	row.lease_holder !== null &&
	row.lease_holder !== messageId &&
	row.lease_until !== null &&
	row.lease_until > now

const failure = (error: string): CompletionReport => ({
	status: 'failed',
	error,
	steps: [],
	logs: [],
})

const stalled = (row: ExecutionRow): StalledStatus =>
	row.status === 'running' || row.status === 'retrying' ? row.status : 'queued'

/** The lease holder of lane executions a consumer runs as a chain under queue message `messageId`. */
const chainHolder = (messageId: string): string => `chain:${messageId}`

export function resultPath(executionId: string, token: string): string {
	return `/results/${executionId}/${token}`
}

function appendAttemptError(row: ExecutionRow, report: CompletionReport): unknown[] {
	const list = row.attempt_errors ? (JSON.parse(row.attempt_errors) as unknown[]) : []
	if (report.error)
		list.push({ attempt: row.attempts, error: report.error, at: new Date().toISOString() })
	return list
}

function log(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
	const line = JSON.stringify({ level, msg, ...fields })
	if (level === 'error') console.error(line)
	else console.warn(line)
}
