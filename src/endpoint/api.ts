/**
 * The EndpointDO's RPC surface: what the Worker, the consumer and the admin routes call,
 * and the typed results they get back (outcomes, never throws). The surface is spelled
 * out as an interface (which EndpointDO implements) rather than derived through the
 * runtime's `Rpc.Provider` mapping: the mapping cannot type recursive JSON values.
 * @module
 */
import type { ExecutionMessage, RequestEnvelope } from '../execution/message'
import type { StoredResult } from '../execution/result-store'
import type { LogRecord, StepRecord } from '../execution/run-flow'
import type { HandshakeType } from '../handshakes'
import type { DataFlowCopy, DataIntegrationCopy } from '../integrations/data/runtime'
import type { JsonObject } from '../lib/json'
import type { ActivityMinute, RefusalCounts } from './activity'
import type { AdoptOutcome, CaptureView } from './captures'
import type { EndpointConfig, EndpointPatch, InstanceSnapshot } from './config'
import type { ExecutionStatus, ExecutionView } from './execution-record'

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
	/** A data integration's flow as this attempt runs it (absent for code integrations). */
	dataFlow?: DataFlowCopy
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
	| { run: false; reason: 'unknown' | 'held' | 'busy' | 'finished' }
	/**
	 * This delivery's execution is finished, but its consumer failed while running its
	 * FIFO lane's chain: the execution it left running is started again for this
	 * redelivery to run (see `lanes.ts`).
	 */
	| { run: false; reason: 'resume'; chained: ChainedExecution }
	| StartedExecution

/**
 * The next execution of a FIFO lane, already started for the consumer that asked to
 * chain: it runs it directly instead of waiting for a queue delivery.
 */
export interface ChainedExecution {
	message: ExecutionMessage
	start: StartedExecution
}

/** A queue delivery of execution `seq`, as `start` is asked about it. */
export interface Delivery {
	seq: number
	messageId: string
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

/** Storage counters, for operators and for tests that prove storage stays bounded. */
export interface EndpointStats {
	executions: number
	deliveries: number
	pending: number
	held: number
}

export interface EndpointApi {
	configure(config: EndpointConfig): Promise<EndpointConfig>
	getConfig(): Promise<EndpointConfig | null>
	patch(patch: EndpointPatch): Promise<EndpointConfig | null>
	remove(): Promise<boolean>
	putInstance(snapshot: InstanceSnapshot): Promise<boolean>
	/** A replaced data integration's new version; false when the endpoint does not run it. */
	setDataIntegration(copy: DataIntegrationCopy): Promise<boolean>
	removeInstance(instanceId: string): Promise<void>
	setInstanceState(instanceId: string, state: JsonObject): Promise<void>
	/** Keeps a value a handshake handed over; false when over the minute's budget. */
	recordCapture(type: HandshakeType, name: string, value: string): Promise<boolean>
	captures(): Promise<CaptureView[]>
	revealCapture(id: string): Promise<string | null>
	/** Adds the value to the endpoint's HMAC secrets (`replace`: makes it the only one). */
	adoptCapture(id: string, replace: boolean): Promise<AdoptOutcome>
	accept(input: AcceptInput): Promise<AcceptOutcome>
	start(seq: number, messageId: string): Promise<StartOutcome>
	/** `start` for several deliveries at once (one consumer batch): one call, not one each. */
	startMany(deliveries: ReadonlyArray<Delivery>): Promise<StartOutcome[]>
	deadLetter(seq: number, messageId: string, report: CompletionReport): Promise<void>
	renewLease(seq: number, holder: string): Promise<boolean>
	complete(
		seq: number,
		report: CompletionReport,
		chain?: { holder: string },
	): Promise<CompletionOutcome>
	getExecution(seq: number): Promise<ExecutionView | null>
	requestOf(seq: number): Promise<RequestEnvelope | null>
	resultAccess(seq: number): Promise<ResultAccess | null>
	listExecutions(query: ListQuery): Promise<ExecutionView[]>
	replay(sourceSeq: number, legacyRequest?: RequestEnvelope): Promise<ReplayOutcome>
	reportRefusals(counts: RefusalCounts): Promise<void>
	activity(minutes: number): Promise<ActivityMinute[]>
	stats(): Promise<EndpointStats>
	/** The registry's retention round: drops what is past retention; returns how many records. */
	sweep(): Promise<number>
}
