/**
 * Typed access to an endpoint's Durable Object. The RPC surface is spelled out as an
 * interface (which EndpointDO implements) rather than derived through the runtime's
 * `Rpc.Provider` mapping: the mapping cannot type recursive JSON values.
 * @module
 */
import type { Env } from '../env'
import type { RequestEnvelope } from '../execution/message'
import type { JsonObject } from '../lib/json'
import type { ActivityMinute, RefusalCounts } from './activity'
import type { EndpointConfig, EndpointPatch, InstanceSnapshot } from './config'
import type {
	AcceptInput,
	AcceptOutcome,
	CompletionOutcome,
	CompletionReport,
	ListQuery,
	ReplayOutcome,
	ResultAccess,
	StartOutcome,
} from './endpoint-do'
import type { ExecutionView } from './execution-record'

export interface EndpointApi {
	configure(config: EndpointConfig): Promise<EndpointConfig>
	getConfig(): Promise<EndpointConfig | null>
	patch(patch: EndpointPatch): Promise<EndpointConfig | null>
	remove(): Promise<boolean>
	putInstance(snapshot: InstanceSnapshot): Promise<boolean>
	removeInstance(instanceId: string): Promise<void>
	setInstanceState(instanceId: string, state: JsonObject): Promise<void>
	accept(input: AcceptInput): Promise<AcceptOutcome>
	start(seq: number, messageId: string): Promise<StartOutcome>
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
	stats(): Promise<{ executions: number; deliveries: number; pending: number; held: number }>
}

export function endpointStub(env: Env, endpointId: string): EndpointApi {
	return env.ENDPOINT.getByName(endpointId) as unknown as EndpointApi
}
