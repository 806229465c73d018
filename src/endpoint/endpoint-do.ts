/**
 * EndpointDO: the one owner of an endpoint's state. Everything that must be exact is
 * decided here, once, in a single round trip per request: delivery-id dedupe, admission
 * against the rolling window, the sequence number, the execution record, FIFO lanes and
 * the hand-off to the queue.
 *
 * This class is the sequence of those guarantees; each mechanism is a collaborator given
 * only what it needs: the execution store (every statement on its tables), the outbox and
 * the FIFO lanes, the queue hand-off and its watermark, the backstop's re-drives, sync
 * waiters, and the alarm's plan.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import type { ExecutionMessage, RequestEnvelope } from '../execution/message'
import { describe } from '../lib/errors'
import { executionIdFor, newResultToken } from '../lib/ids'
import type { JsonObject } from '../lib/json'
import { count, meteredEnv, meteredSql } from '../lib/meter'
import {
	DEDUPE_WINDOW_MS,
	LEASE_GRACE_MS,
	LEASE_MS,
	MAX_PAGE_SIZE,
	RATE_WINDOW_MS,
	REDISPATCH_AFTER_MS,
	REDRIVE_AFTER_MS,
} from '../limits'
import { ActivityCounters, type ActivityMinute, type RefusalCounts } from './activity'
import { alarmCutoffs, nextAlarm } from './alarm-plan'
import type {
	AcceptInput,
	AcceptOutcome,
	CompletionOutcome,
	CompletionReport,
	EndpointApi,
	EndpointStats,
	ListQuery,
	ReplayOutcome,
	ResultAccess,
	StartedExecution,
	StartOutcome,
} from './api'
import { completion, failure, leasedToOther, startedExecution } from './attempts'
import { Backstop } from './backstop'
import {
	applyPatch,
	type EndpointConfig,
	type EndpointPatch,
	type InstanceSnapshot,
	instanceById,
	withInstance,
	withoutInstance,
} from './config'
import {
	type ExecutionRow,
	type ExecutionView,
	executionView,
	isTerminal,
} from './execution-record'
import { type ExecutionOrigin, ExecutionStore } from './execution-store'
import { executionMessage, QueueHandOff } from './hand-off'
import { Lanes, type Runnable } from './lanes'
import { log } from './log'
import { Outbox } from './outbox'
import { RateWindow } from './rate-window'
import { sentAt } from './redrive'
import { migrate } from './schema'
import type { BatchSink } from './send-batcher'
import { finishedAnswer, pendingAnswer, SyncWaiters } from './waiters'

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
	#store: ExecutionStore
	#outbox: Outbox
	#handOff: QueueHandOff
	#lanes: Lanes
	#backstop: Backstop
	#waiters = new SyncWaiters()
	#config: EndpointConfig | null = null
	#window: RateWindow | null = null
	#lastSeq = 0
	/** Refusal counts per minute, for the console (in memory: live-ish, lost on eviction). */
	#activity = new ActivityCounters()
	/** The alarm time we last set (null: none); spares a storage read per request. */
	#alarmAt: number | null = null
	readonly faults: EndpointFaults = {}

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, meteredEnv(env))
		const sql = meteredSql(ctx.storage.sql)
		const store = new ExecutionStore(sql)
		const outbox = new Outbox(sql)
		const now = () => Date.now()
		const schedule = (at: number) => this.#scheduleAlarm(at)
		const message = (seq: number, request: RequestEnvelope, receivedAt: number) =>
			executionMessage(this.#endpointId, seq, request, receivedAt)
		const fail = async (seq: number, reason: string) => {
			await this.complete(seq, failure(reason))
		}
		const handOff = new QueueHandOff({
			sql,
			store,
			sink: () => this.#queue(),
			message,
			refused: (seq, error, m) => this.#backstop.refused(seq, null, error, m),
		})
		const send = (m: ExecutionMessage) => handOff.send(m)
		this.#sql = sql
		this.#store = store
		this.#outbox = outbox
		this.#handOff = handOff
		this.#backstop = new Backstop({
			store,
			outbox,
			send,
			sending: (seq) => handOff.isSending(seq),
			message,
			fail,
			schedule,
			now,
		})
		this.#lanes = new Lanes({
			outbox,
			store,
			send,
			refused: (seq, lane, error, m) => this.#backstop.refused(seq, lane, error, m),
			runnable: (seq) => this.#runnable(seq),
			fail,
			schedule,
			now,
		})
		ctx.blockConcurrencyWhile(async () => {
			migrate(sql)
			this.#load()
			this.#alarmAt = await ctx.storage.getAlarm()
		})
	}

	/** The queue, behind the test-only fault switch. */
	#queue(): BatchSink<ExecutionMessage> {
		return {
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
		}
	}

	get #endpointId(): string {
		return (this.#config as EndpointConfig).id
	}

	#load(): void {
		const meta = this.#sql
			.exec<{ key: string; value: string }>('SELECT key, value FROM meta')
			.toArray()
		let sentThrough = 0
		for (const { key, value } of meta) {
			if (key === 'config') this.#config = JSON.parse(value) as EndpointConfig
			if (key === 'sent_through') sentThrough = Number(value)
		}
		this.#lastSeq = this.#store.lastSeq()
		this.#handOff.restore(sentThrough, this.#lastSeq)
		this.#window = this.#config
			? this.#restoreWindow(this.#config.rateLimit.requestsPerSecond)
			: null
	}

	/**
	 * The admission log is the execution table itself (every admitted request has a row),
	 * so the window survives eviction without a write of its own.
	 */
	#restoreWindow(limit: number): RateWindow {
		const admissions = this.#store.admissionsSince(Date.now() - RATE_WINDOW_MS, limit)
		return new RateWindow(limit, RATE_WINDOW_MS, admissions)
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
		const next = config && !config.deletedAt ? withInstance(config, snapshot) : null
		if (!next) return false
		this.#saveConfig(next)
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
		this.#saveConfig(withoutInstance(config, instanceId))
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
			const original = this.#store.seqOfDelivery(input.deliveryId, now - DEDUPE_WINDOW_MS)
			if (original !== undefined) return this.#answerDuplicate(original, input)
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
		const waiting = input.sync
			? this.#waiters.wait(seq, input.waitMs, () => pendingAnswer(executionId, resultToken))
			: null
		// The sender's answer does not wait for the queue: the request is already durable
		// in the outbox, which is what the answer promises.
		void this.#dispatch(recorded)
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
	#recordAndStage(request: RequestEnvelope, now: number, origin: ExecutionOrigin): Recorded {
		const seq = this.#lastSeq + 1
		const { lane } = origin
		try {
			const resultToken = newResultToken()
			// The backstop's deadline, in the same write: past it the message is overdue.
			const deadline = now + REDRIVE_AFTER_MS
			this.#store.insert({ ...origin, seq, now, deadline, resultToken, request })
			// After the first write, so that the undo below is what the fault test sees.
			if (this.faults.storage) throw new Error('injected storage fault')
			const message = executionMessage(this.#endpointId, seq, request, now)
			const held = lane !== null && this.#lanes.stage(seq, lane, message, now)
			this.#lastSeq = seq
			// Until its send returns, the sent watermark stays below it (see hand-off.ts).
			if (lane === null) this.#handOff.track(seq)
			const executionId = executionIdFor(this.#endpointId, seq)
			return { seq, executionId, resultToken, lane, message, held }
		} catch (err) {
			this.#unrecord(seq)
			throw err
		}
	}

	#unrecord(seq: number): void {
		try {
			this.#store.remove(seq)
			this.#outbox.remove(seq)
		} catch (err) {
			log('error', 'could not undo a partly recorded execution', { seq, error: describe(err) })
		}
	}

	/**
	 * Sends a recorded execution to the queue. A FIFO execution's outbox entry stays until
	 * it finishes; a non-FIFO one the queue refuses is kept for the alarm's re-send.
	 */
	async #dispatch({ seq, lane, message, held }: Recorded): Promise<void> {
		if (held) return
		if (lane !== null) return this.#lanes.dispatch(seq, lane, message)
		await this.#handOff.deliver(seq, message)
	}

	#answerDuplicate(seq: number, input: AcceptInput): AcceptOutcome | Promise<AcceptOutcome> {
		const row = this.#store.row(seq)
		const executionId = executionIdFor(this.#endpointId, seq)
		if (!row || !input.sync) return { kind: 'accepted', executionId, duplicate: true }
		if (isTerminal(row.status)) return finishedAnswer(this.#endpointId, row)
		return this.#waiters.wait(seq, input.waitMs, () => pendingAnswer(executionId, row.result_token))
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
		const recovered = await this.#handOff.recoverUnsent()
		this.#handOff.advanceWatermark(this.#lastSeq)
		await this.#lanes.redrive(now)
		const postponed = await this.#backstop.redriveOverdue(now, recovered)
		const nextDeadline = this.#store.nextDeadline()

		const cutoffs = alarmCutoffs(now)
		this.#store.purgeDeliveries(cutoffs.deliveries)
		this.#store.clearExpiredResults(cutoffs.results)
		const swept = this.#store.sweep(cutoffs.records)
		const nextRecordExpiry = this.#store.nextRecordExpiry()

		const next = nextAlarm({
			now,
			sending: this.#handOff.busy,
			swept,
			nextRecordExpiry,
			nextLaneDue: this.#outbox.nextDue(),
			oldestDelivery: this.#store.oldestDelivery(),
			nextResultExpiry: this.#store.nextResultExpiry(),
			nextDeadline,
			postponed,
		})
		if (next) await this.#scheduleAlarm(next.at)
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
		const source = this.#store.row(sourceSeq)
		if (!source) return { ok: false, reason: 'execution_not_found' }
		if (!config || config.deletedAt) return { ok: false, reason: 'endpoint_not_found' }
		const request = legacyRequest ?? this.#store.request(sourceSeq)
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
		await this.#dispatch(recorded)
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
		const row = this.#store.row(seq)
		if (!config || !row) return { run: false, reason: 'unknown' }
		if (isTerminal(row.status)) {
			const chained = row.lane === null ? null : await this.#lanes.resume(row.lane, messageId)
			return chained
				? { run: false, reason: 'resume', chained }
				: { run: false, reason: 'finished' }
		}
		const instance = instanceById(config, row.instance_id)
		if (!instance) return { run: false, reason: 'unknown' }
		const now = Date.now()
		if (row.lane !== null && this.#lanes.isHeld(seq)) return { run: false, reason: 'held' }
		if (leasedToOther(row, messageId, now)) return { run: false, reason: 'busy' }
		if (row.lane === null && row.status !== 'running') this.#backstop.delivered(sentAt(row), now)
		return this.#begin(row, config, instance, messageId)
	}

	/** An execution's row and the lease machine for it, if its config and instance exist. */
	#runnable(seq: number): Runnable | null {
		const config = this.#config
		const row = this.#store.row(seq)
		const instance = config && row ? instanceById(config, row.instance_id) : null
		if (!config || !row || !instance) return null
		return { row, begin: (holder) => this.#begin(row, config, instance, holder) }
	}

	/** Counts an attempt and leases the execution to `holder` (a delivery or a chaining consumer). */
	async #begin(
		row: ExecutionRow,
		config: EndpointConfig,
		instance: InstanceSnapshot,
		holder: string,
	): Promise<StartedExecution> {
		const now = Date.now()
		const attempt = row.attempts + 1
		this.#store.begin(row.seq, attempt, holder, now, now + LEASE_MS)
		// If this runner dies without a report, the alarm takes the execution over.
		await this.#scheduleAlarm(now + LEASE_MS + LEASE_GRACE_MS)
		return startedExecution(config, instance, row, attempt, holder)
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
		const row = this.#store.row(seq)
		if (!row || isTerminal(row.status)) return {}
		const now = Date.now()
		const { values, terminal, deadline } = completion(row, report, now)
		this.#store.complete(seq, values)
		if (report.result?.inline) await this.#scheduleAlarm(report.result.expiresAt)
		if (deadline !== null && row.lane === null) await this.#scheduleAlarm(deadline)
		if (!terminal) {
			if (row.lane !== null) await this.#lanes.retrying(seq, report.retryInSeconds ?? 0, now)
			return {}
		}
		this.#outbox.remove(seq)
		this.#waiters.settle(seq, () =>
			finishedAnswer(this.#endpointId, this.#store.row(seq) as ExecutionRow),
		)
		if (row.lane === null) return {}
		if (chain) return { next: await this.#lanes.chain(row.lane, chain.holder) }
		await this.#lanes.release(row.lane)
		return {}
	}

	/**
	 * A message exhausted the queue's retries. The execution fails unless another live
	 * delivery holds it (the dead message was a duplicate) or it is a held FIFO execution
	 * (the lane will dispatch it in turn).
	 */
	async deadLetter(seq: number, messageId: string, report: CompletionReport): Promise<void> {
		const row = this.#store.row(seq)
		if (!row || isTerminal(row.status)) return
		if (leasedToOther(row, messageId, Date.now()) || this.#lanes.isHeld(seq)) return
		await this.complete(seq, report)
	}

	/**
	 * A runner still at work keeps its lease (every LEASE_RENEW_EVERY_MS); false when the
	 * lease is no longer its own (it lapsed and the execution was taken over).
	 */
	async renewLease(seq: number, holder: string): Promise<boolean> {
		return this.#store.renewLease(seq, holder, Date.now() + LEASE_MS)
	}

	// ----- reads ---------------------------------------------------------------------

	/**
	 * The request an execution was recorded with, exactly as received (for the console),
	 * or null if the execution is unknown or predates stored requests.
	 */
	async requestOf(seq: number): Promise<RequestEnvelope | null> {
		return this.#store.request(seq)
	}

	async getExecution(seq: number): Promise<ExecutionView | null> {
		const config = this.#config
		const row = this.#store.row(seq)
		return config && row ? executionView(config.id, row) : null
	}

	/**
	 * The token guarding an execution's result URL, for the results route to check, and
	 * the result itself when it is kept in the row (not yet expired and cleared).
	 */
	async resultAccess(seq: number): Promise<ResultAccess | null> {
		return this.#store.resultAccess(seq)
	}

	async listExecutions(query: ListQuery): Promise<ExecutionView[]> {
		const config = this.#config
		if (!config) return []
		const limit = Math.min(Math.max(1, query.limit), MAX_PAGE_SIZE + 1)
		return this.#store.list(config.id, query, limit).map((row) => executionView(config.id, row))
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
		return this.#activity.minutes(now, minutes, this.#store.admittedPerMinute(since))
	}

	/** Storage counters, for operators and for tests that prove storage stays bounded. */
	async stats(): Promise<EndpointStats> {
		return { ...this.#store.counts(), ...this.#outbox.counts() }
	}
}
