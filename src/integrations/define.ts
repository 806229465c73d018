/**
 * The public API for writing integrations. Integration code sees these types only:
 * never bindings, the queue, or Durable Objects.
 * @module
 */

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

export interface FlowContext<Config extends Record<string, unknown> = Record<string, unknown>> {
	executionId: string
	/** 1 on the first attempt, 2 on the first retry, ... */
	attempt: number
	instance: { id: string; name: string }
	config: Config
	webhookUrls: Record<string, string>
	log: FlowLogger
	/**
	 * Runs one named step and records its output, timing and error on the execution.
	 * The flow's result defaults to the last step's output.
	 */
	step<T>(name: string, fn: () => T | Promise<T>): Promise<T>
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

export interface FlowDefinition<Config extends Record<string, unknown> = Record<string, unknown>> {
	description?: string
	retry?: Partial<RetryPolicy>
	onExecution(context: FlowContext<Config>, payload: TriggerPayload): unknown | Promise<unknown>
}

export interface ConfigVariable {
	type: 'string' | 'number' | 'boolean' | 'json'
	description?: string
	default?: unknown
	required?: boolean
	/** Secret values are write-only: the admin API never returns them. */
	secret?: boolean
}

export interface IntegrationDefinition<
	Config extends Record<string, unknown> = Record<string, unknown>,
> {
	name: string
	description?: string
	config?: Record<string, ConfigVariable>
	flows: Record<string, FlowDefinition<Config>>
}

/** Identity functions: they exist so integration modules get full type checking. */
export function defineFlow<Config extends Record<string, unknown> = Record<string, unknown>>(
	flow: FlowDefinition<Config>,
): FlowDefinition<Config> {
	return flow
}

export function defineIntegration<Config extends Record<string, unknown> = Record<string, unknown>>(
	integration: IntegrationDefinition<Config>,
): IntegrationDefinition<Config> {
	return integration
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	attempts: 3,
	initialDelayMs: 1000,
	factor: 2,
	maxDelayMs: 60 * 60 * 1000,
	jitter: 0.2,
}
