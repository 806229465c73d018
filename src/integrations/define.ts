/**
 * The public API for writing integrations. Integration code sees these types only:
 * never bindings, the queue, or Durable Objects.
 * @module
 */
import type { HmacPreset, PublicKeyPreset } from '../auth'
import type { HandshakeConfig } from '../handshakes'
import type { Json, JsonObject } from '../lib/json'
import type { DeclarativeStep } from './steps'

/** What a flow receives for each request: the SPEC's trigger payload. */
export interface TriggerPayload {
	body: { data: unknown; contentType: string }
	rawBody: { data: Uint8Array }
	/** Request headers, names lower-cased. */
	headers: Record<string, string>
	/** Parsed query string; repeated keys become arrays. */
	queryParameters: Record<string, string | string[]>
	/** The path after the endpoint id, e.g. `my/custom/path`. */
	pathFragment: string
	method: string
	/** The instance's own trigger URLs by flow name. */
	webhookUrls: Record<string, string>
	/** The instance's API keys by flow name. */
	webhookApiKeys: Record<string, string[]>
	/** The shared URL, for endpoints shared by several flows or instances. */
	invokeUrl?: string
	executionId: string
	endpointId: string
	instanceId: string
	flow: string
	sequence: number
	/** ISO 8601 time the gateway accepted the request. */
	receivedAt: string
}

export interface FlowLogger {
	info(message: string, data?: unknown): void
	warn(message: string, data?: unknown): void
	error(message: string, data?: unknown): void
}

export interface InstanceInfo {
	id: string
	name: string
}

/** `fetch` with a timeout, recorded as a step of the execution (status, duration, error). */
export type FlowFetch = (
	input: string | URL | Request,
	init?: RequestInit & { timeoutMs?: number; stepName?: string },
) => Promise<Response>

export interface FlowContext<Config = Record<string, unknown>> {
	executionId: string
	/** 1 on the first attempt, 2 on the first retry, ... */
	attempt: number
	instance: InstanceInfo
	config: Config
	webhookUrls: Record<string, string>
	/** What `onInstanceDeploy` returned for this instance. */
	instanceState: JsonObject
	log: FlowLogger
	/**
	 * Runs one named step and records its output, timing and error on the execution.
	 * The flow's result defaults to the last step's output.
	 */
	step<T>(name: string, fn: () => T | Promise<T>): Promise<T>
	fetch: FlowFetch
}

/** What `onTrigger` sees: no steps, no fetch; it runs on the request's path at the edge. */
export interface TriggerContext<Config = Record<string, unknown>> {
	instance: InstanceInfo
	config: Config
	webhookUrls: Record<string, string>
	flow: string
}

/**
 * `onTrigger` may answer the sender itself (a challenge, a custom acknowledgement).
 * With `skip: true` no execution starts (a handshake); otherwise the flow still runs.
 */
export interface TriggerResult {
	response?: {
		status?: number
		contentType?: string
		body?: string
		headers?: Record<string, string>
	}
	skip?: boolean
}

/**
 * Retry policy for asynchronous executions whose flow throws. Delays grow as
 * `initialDelayMs * factor^(attempt-1)`, capped at `maxDelayMs`, plus up to `jitter`
 * of themselves at random.
 */
export interface RetryPolicy {
	/** Attempts in all, including the first. */
	attempts: number
	initialDelayMs: number
	factor: number
	maxDelayMs: number
	/** Fraction 0..1 of the delay added at random, so retries of a burst spread out. */
	jitter: number
}

/** A flow result with an explicit content type, served as-is by the result URL. */
export interface FlowResponse {
	data: string | Uint8Array | unknown
	contentType: string
}

/**
 * The endpoint authentication a flow's endpoints get at deploy. Secrets come from the
 * instance's config (named by `secretConfig`), or, for `apiKey`, are generated per
 * instance and published as `webhookApiKeys`.
 */
export type FlowAuthDefault<Config> =
	| { type: 'none' }
	| { type: 'apiKey'; header?: string }
	| { type: 'basic'; usernameConfig: keyof Config & string; passwordConfig: keyof Config & string }
	| {
			type: 'hmac'
			/** A provider preset, the same names the admin API accepts (`'github'`, `'stripe'`, ...). */
			preset?: HmacPreset
			algorithm?: 'sha1' | 'sha256' | 'sha512'
			header?: string
			encoding?: 'hex' | 'base64'
			prefix?: string
			secretConfig: keyof Config & string
	  }
	/** Signatures checked with the provider's public key, taken from config (one key, or a list). */
	| {
			type: 'publicKey'
			preset: Exclude<PublicKeyPreset, 'aws-sns'>
			keyConfig: keyof Config & string
	  }
	/** AWS SNS: the topics to accept, from config (one ARN, or a list). */
	| { type: 'publicKey'; preset: 'aws-sns'; topicArnsConfig: keyof Config & string }

interface FlowCommon<Config> {
	description?: string
	retry?: Partial<RetryPolicy>
	/** FIFO for this flow's endpoint (`true`, or a lane key selector). */
	fifo?: boolean | { key: string }
	/** `sync`: callers wait for the result without sending the synchronous header. */
	mode?: 'async' | 'sync'
	/**
	 * A JSONata expression over the request (`body`, `headers`, `query`, `config`,
	 * `instance`, `payload`): a request it finds falsy is answered 200 `{"filtered":true}`
	 * and starts nothing. Checked again when the flow runs (a replay after a change).
	 */
	filter?: string
	auth?: FlowAuthDefault<Config>
	/** Sender handshakes answered before authentication-gated work (see the README). */
	handshakes?: HandshakeConfig[]
	/** A static answer to accepted requests (`{ preset: 'salesforce-ack' }` or custom). */
	response?:
		| { preset: 'salesforce-ack' }
		| { status?: number; contentType?: string; body?: string; headers?: Record<string, string> }
	onTrigger?(
		context: TriggerContext<Config>,
		payload: TriggerPayload,
	): TriggerResult | undefined | Promise<TriggerResult | undefined>
}

export interface CodeFlow<Config> extends FlowCommon<Config> {
	onExecution(context: FlowContext<Config>, payload: TriggerPayload): unknown
	steps?: never
}

/** A flow written as data: transforms (JSONata), HTTP requests, branches and loops. */
export interface StepsFlow<Config> extends FlowCommon<Config> {
	steps: DeclarativeStep[]
	onExecution?: never
}

export type FlowDefinition<Config = Record<string, unknown>> = CodeFlow<Config> | StepsFlow<Config>

export interface ConfigVariable {
	type: 'string' | 'number' | 'boolean' | 'json'
	description?: string
	default?: Json
	/** Required unless it has a default. */
	required?: boolean
	/** Secret values are write-only: the admin API never returns them. */
	secret?: boolean
}

/** The config object a declaration produces: `{ url: { type: 'string' } }` → `{ url: string }`. */
export type ConfigOf<D extends Record<string, ConfigVariable>> = {
	[K in keyof D]: D[K]['type'] extends 'string'
		? string
		: D[K]['type'] extends 'number'
			? number
			: D[K]['type'] extends 'boolean'
				? boolean
				: Json
}

/** What lifecycle hooks see. */
export interface InstanceContext<Config = Record<string, unknown>> {
	instance: InstanceInfo
	config: Config
	webhookUrls: Record<string, string>
	webhookApiKeys: Record<string, string[]>
	/** State from an earlier deploy (empty the first time). */
	instanceState: JsonObject
	log: FlowLogger
	fetch: FlowFetch
}

export type EndpointMode = 'instance-flow' | 'instance' | 'shared'

/** Which flow (and, for shared endpoints, which instance) a request is for. */
export interface RouteResult {
	flow?: string
	/** Shared endpoints: the instance's routing key (its `routingKey`, default its id). */
	instance?: string
}

export interface IntegrationDefinition<Config = Record<string, unknown>> {
	name: string
	description?: string
	config?: Record<string, ConfigVariable>
	flows: Record<string, FlowDefinition<Config>>
	/** Default endpoint mode of new instances. */
	endpointMode?: EndpointMode
	/** `instance`/`shared` modes: selectors that choose the flow and the instance. */
	flowSelector?: string
	instanceSelector?: string
	/** `instance`/`shared` modes: code that chooses; takes precedence over selectors. */
	route?(
		payload: Pick<
			TriggerPayload,
			'body' | 'headers' | 'queryParameters' | 'pathFragment' | 'method'
		>,
	): RouteResult | undefined
	/** Runs when an instance is deployed; what it returns is kept as the instance's state. */
	onInstanceDeploy?(
		context: InstanceContext<Config>,
	): JsonObject | undefined | Promise<JsonObject | undefined>
	onInstanceRemove?(context: InstanceContext<Config>): void | Promise<void>
}

/** Identity function: it exists so flow modules get full type checking. */
export function defineFlow<Config = Record<string, unknown>>(
	flow: FlowDefinition<Config>,
): FlowDefinition<Config> {
	return flow
}

/**
 * Identity function with inference: the config declaration types `context.config` in
 * every inline flow and hook.
 */
export function defineIntegration<
	const D extends Record<string, ConfigVariable> = Record<string, never>,
>(
	integration: IntegrationDefinition<ConfigOf<D>> & { config?: D },
): IntegrationDefinition<ConfigOf<D>> {
	return integration
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	attempts: 3,
	initialDelayMs: 1000,
	factor: 2,
	maxDelayMs: 60 * 60 * 1000,
	jitter: 0.2,
}
