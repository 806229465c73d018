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
import type { HandshakeType } from '../handshakes'
import type { DataIntegrationCopy } from '../integrations/data/runtime'
import { describe } from '../lib/errors'
import { executionIdFor } from '../lib/ids'
import type { JsonObject } from '../lib/json'
import { log } from '../lib/log'
import { count, meteredEnv, meteredSql } from '../lib/meter'
import { DEDUPE_WINDOW_MS, REDISPATCH_AFTER_MS, REDRIVE_AFTER_MS } from '../limits'
import { ActivityCounters, type ActivityMinute, type RefusalCounts } from './activity'
import { Alarm } from './alarm'
import type {
	AcceptInput,
	AcceptOutcome,
	CompletionOutcome,
	CompletionReport,
	Delivery,
	EndpointApi,
	EndpointStats,
	ListQuery,
	ReplayOutcome,
	ResultAccess,
	StartOutcome,
} from './api'
import { Attempts } from './attempts'
import { Backstop } from './backstop'
import {
	type AdoptOutcome,
	adoptCapture,
	CaptureStore,
	type CaptureView,
	captureView,
} from './captures'
import {
	type EndpointConfig,
	type EndpointPatch,
	type InstanceSnapshot,
	instanceById,
} from './config'
import { ConfigStore } from './config-store'
import { type ExecutionView, executionView, isTerminal } from './execution-record'
import { ExecutionStore } from './execution-store'
import { QueueHandOff } from './hand-off'
import { Lanes } from './lanes'
import { LiveLeases } from './live-leases'
import { Outbox } from './outbox'
import { type Recorded, Recorder } from './recorder'
import { recordReplay } from './replay-record'
import { Retention } from './retention'
import { migrate } from './schema'
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

export class EndpointDO extends DurableObject<Env> implements EndpointApi {
	#sql: SqlStorage
	#store: ExecutionStore
	#alarm: Alarm
	#config: ConfigStore
	#captures: CaptureStore
	#recorder: Recorder
	#handOff: QueueHandOff
	#lanes: Lanes
	#backstop: Backstop
	#attempts: Attempts
	#waiters = new SyncWaiters()
	/** Refusal counts per minute, for the console (in memory: live-ish, lost on eviction). */
	#activity = new ActivityCounters()
	readonly faults: EndpointFaults = {}
	/** Attempts started and not yet reported (live-leases.ts); tests lapse them. */
	readonly leases = new LiveLeases()
	/** The FIFO lanes, in memory over the execution rows (outbox.ts); tests lapse their deadlines. */
	readonly outbox: Outbox

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, meteredEnv(env))
		const sql = meteredSql(ctx.storage.sql)
		const store = new ExecutionStore(sql, this.leases)
		const endpointId = () => this.#config.endpointId
		const outbox = new Outbox(store, endpointId)
		// What every collaborator may be given; each one's deps type says what it uses.
		const shared = {
			store,
			outbox,
			now: () => Date.now(),
			schedule: (at: number) => this.#alarm.schedule(at),
			send: (m: ExecutionMessage) => this.#handOff.send(m),
			fail: (seq: number, reason: string) => this.#attempts.fail(seq, reason),
			message: (seq: number) => store.message(endpointId(), seq),
		}
		this.#sql = sql
		this.#store = store
		this.outbox = outbox
		this.#config = new ConfigStore(sql, store, shared.now)
		this.#captures = new CaptureStore(sql, shared.now)
		this.#handOff = new QueueHandOff({
			queue: this.env.EXECUTIONS,
			faults: this.faults,
			refused: (seq, error, m) => this.#backstop.refused(seq, null, error, m),
		})
		this.#backstop = new Backstop({ ...shared, sending: (seq) => this.#handOff.isSending(seq) })
		this.#lanes = new Lanes({
			...shared,
			refused: (seq, lane, error, m) => this.#backstop.refused(seq, lane, error, m),
			runnable: (seq) => this.#attempts.runnable(seq),
		})
		this.#recorder = new Recorder({
			...shared,
			lanes: this.#lanes,
			handOff: this.#handOff,
			endpointId,
			faults: this.faults,
		})
		this.#attempts = new Attempts({
			...shared,
			lanes: this.#lanes,
			backstop: this.#backstop,
			waiters: this.#waiters,
			config: () => this.#config.config,
		})
		this.#alarm = new Alarm({
			storage: ctx.storage,
			store,
			outbox,
			lanes: this.#lanes,
			backstop: this.#backstop,
			retention: new Retention(sql, (t) => store.seqReceivedBy(t)),
		})
		ctx.blockConcurrencyWhile(async () => {
			migrate(sql)
			this.#load()
			await this.#alarm.restore()
		})
	}

	#load(): void {
		const meta = new Map(
			this.#sql
				.exec<{ key: string; value: string }>('SELECT key, value FROM meta')
				.toArray()
				.map((r) => [r.key, r.value]),
		)
		this.#recorder.restore()
		this.outbox.restore(Date.now())
		this.#config.restore(meta.get('config') ?? null)
		this.#captures.restore(meta.get('captures') ?? null)
	}

	// ----- configuration (config-store.ts) ----------------------------------------

	async configure(config: EndpointConfig): Promise<EndpointConfig> {
		return this.#config.configure(config)
	}

	async getConfig(): Promise<EndpointConfig | null> {
		return this.#config.get()
	}

	async patch(patch: EndpointPatch): Promise<EndpointConfig | null> {
		return this.#config.patch(patch)
	}

	async putInstance(snapshot: InstanceSnapshot): Promise<boolean> {
		return this.#config.putInstance(snapshot)
	}

	async setDataIntegration(copy: DataIntegrationCopy): Promise<boolean> {
		return this.#config.setDataIntegration(copy)
	}

	async setInstanceState(instanceId: string, state: JsonObject): Promise<void> {
		this.#config.setInstanceState(instanceId, state)
	}

	async removeInstance(instanceId: string): Promise<void> {
		this.#config.removeInstance(instanceId)
	}

	async remove(): Promise<boolean> {
		return this.#config.remove()
	}

	// ----- values handshakes handed over (see captures.ts) --------------------------

	async recordCapture(type: HandshakeType, name: string, value: string): Promise<boolean> {
		return this.#config.get() !== null && this.#captures.record(type, name, value)
	}

	async captures(): Promise<CaptureView[]> {
		return Promise.all(this.#captures.list().map(captureView))
	}

	async revealCapture(id: string): Promise<string | null> {
		return this.#captures.find(id)?.value ?? null
	}

	async adoptCapture(id: string, replace: boolean): Promise<AdoptOutcome> {
		return adoptCapture(this.#captures, this.#config, id, replace)
	}

	// ----- the accept path -----------------------------------------------------------

	async accept(input: AcceptInput): Promise<AcceptOutcome> {
		const live = this.#config.live
		if (!live) return { kind: 'not_found' }
		const { config, window } = live
		const now = Date.now()

		if (input.deliveryId) {
			const original = this.#store.seqOfDelivery(input.deliveryId, now - DEDUPE_WINDOW_MS)
			if (original !== undefined) return this.#answerDuplicate(original, input)
		}

		const instance = instanceById(config, input.instanceId)
		if (!instance || !input.flow) return { kind: 'not_found' }

		const admission = window.admit(now)
		if (!admission.admitted) {
			this.#activity.bump(now, 'rateLimited')
			return { kind: 'rate_limited', retryAfterMs: admission.retryAfterMs, limit: window.limit }
		}

		const lane = config.fifo ? (input.laneKey ?? '') : null
		let recorded: Recorded
		try {
			recorded = this.#recorder.record(input.request, now, {
				source: 'trigger',
				sync: input.sync,
				deliveryId: input.deliveryId,
				lane,
				replayOf: null,
				integrationVersion: config.dataIntegration?.version ?? null,
				instanceId: instance.id,
				flow: input.flow,
			})
		} catch (err) {
			window.revertLast()
			log('error', 'accept: storage write failed', { endpointId: config.id, error: describe(err) })
			return { kind: 'unavailable' }
		}
		// Durable with the rows above, before the answer leaves: if this object dies before
		// the queue has the message, the alarm re-sends it at its deadline.
		await this.#alarm.schedule(this.#backstopAt(now, lane))
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

	#answerDuplicate(seq: number, input: AcceptInput): AcceptOutcome | Promise<AcceptOutcome> {
		const row = this.#store.row(seq)
		const endpointId = this.#config.endpointId
		const executionId = executionIdFor(endpointId, seq)
		if (!row || !input.sync) return { kind: 'accepted', executionId, duplicate: true }
		if (isTerminal(row.status)) return finishedAnswer(endpointId, row)
		return this.#waiters.wait(seq, input.waitMs, () => pendingAnswer(executionId, row.result_token))
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

	/**
	 * When the alarm must come for an execution recorded at `now`: a FIFO entry's re-send
	 * is due soon; a non-FIFO row's deadline is the backstop's (one alarm per minute at
	 * most under steady traffic, instead of one per REDISPATCH_AFTER_MS).
	 */
	#backstopAt(now: number, lane: string | null): number {
		return now + (lane === null ? REDRIVE_AFTER_MS : REDISPATCH_AFTER_MS)
	}

	// ----- the alarm (alarm.ts) --------------------------------------------------------

	override async alarm(): Promise<void> {
		count('doRequests')
		await this.#alarm.ring(Date.now())
	}

	/** The registry's retention round asks this of every endpoint (alarm.ts). */
	async sweep(): Promise<number> {
		return this.#alarm.sweep(Date.now())
	}

	// ----- replay (replay-record.ts) ---------------------------------------------------

	async replay(sourceSeq: number, legacyRequest?: RequestEnvelope): Promise<ReplayOutcome> {
		const now = Date.now()
		const deps = { config: this.#config.config, store: this.#store, recorder: this.#recorder }
		const replayed = recordReplay(deps, sourceSeq, legacyRequest, now)
		if (!replayed.ok) return replayed
		await this.#alarm.schedule(this.#backstopAt(now, replayed.recorded.lane))
		await this.#dispatch(replayed.recorded)
		return { ok: true, executionId: replayed.recorded.executionId }
	}

	// ----- the consumer's side (attempts.ts) ----------------------------------------

	async start(seq: number, messageId: string): Promise<StartOutcome> {
		return this.#attempts.start(seq, messageId)
	}

	async startMany(deliveries: ReadonlyArray<Delivery>): Promise<StartOutcome[]> {
		const outcomes: StartOutcome[] = []
		for (const { seq, messageId } of deliveries)
			outcomes.push(await this.#attempts.start(seq, messageId))
		return outcomes
	}

	async complete(
		seq: number,
		report: CompletionReport,
		chain?: { holder: string },
	): Promise<CompletionOutcome> {
		return this.#attempts.complete(seq, report, chain)
	}

	async deadLetter(seq: number, messageId: string, report: CompletionReport): Promise<void> {
		return this.#attempts.deadLetter(seq, messageId, report)
	}

	async renewLease(seq: number, holder: string): Promise<boolean> {
		return this.#attempts.renewLease(seq, holder)
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
		const config = this.#config.config
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
		const config = this.#config.config
		if (!config) return []
		return this.#store.list(config.id, query).map((row) => executionView(config.id, row))
	}

	/** Requests refused at the edge (401) as reported by Workers, for the console. */
	async reportRefusals(counts: RefusalCounts): Promise<void> {
		this.#activity.add(Date.now(), counts)
	}

	/** Admitted and refused requests per minute over the last `minutes` minutes, oldest first. */
	async activity(minutes: number): Promise<ActivityMinute[]> {
		const now = Date.now()
		const since = Math.floor(now / 60_000 - minutes + 1) * 60_000
		return this.#activity.minutes(now, minutes, this.#store.admittedPerMinute(since))
	}

	/** Storage counters, for operators and for tests that prove storage stays bounded. */
	async stats(): Promise<EndpointStats> {
		return { ...this.#store.counts(Date.now() - DEDUPE_WINDOW_MS), ...this.outbox.counts() }
	}
}
