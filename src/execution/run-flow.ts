/**
 * Runs one attempt of a flow and records what happened: steps with outputs and timings,
 * logs, the result or the error. Knows nothing of queues or storage.
 * @module
 */
import type {
	FlowContext,
	FlowDefinition,
	FlowFetch,
	FlowResponse,
	TriggerPayload,
} from '../integrations/define'
import { applyFilter } from '../integrations/filter'
import { initialScope, runSteps } from '../integrations/steps'
import { toJson } from '../lib/encoding'
import { describe } from '../lib/errors'
import type { Json, JsonObject } from '../lib/json'
import { MAX_LOG_LINES, MAX_RECORDED_OUTPUT_CHARS } from '../limits'
import { type ChunkedBody, jsonResultBody } from './result-body'

export interface StepRecord {
	name: string
	startedAt: string
	finishedAt: string
	durationMs: number
	output?: Json
	error?: string
}

export interface LogRecord {
	level: 'info' | 'warn' | 'error'
	message: string
	at: string
	data?: Json
}

export type FlowOutcome =
	| { ok: true; result: unknown; steps: StepRecord[]; logs: LogRecord[] }
	| { ok: false; error: string; steps: StepRecord[]; logs: LogRecord[] }

export interface RunInput {
	executionId: string
	attempt: number
	instance: { id: string; name: string }
	config: Record<string, unknown>
	webhookUrls: Record<string, string>
	instanceState: JsonObject
}

/** Outbound calls of flows time out after this long unless they say otherwise. */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000

/**
 * `fetch` for integration code: every call is a recorded step (method, host and path,
 * status, duration, error), bounded by a timeout.
 */
export function recordedFetch(step: FlowContext['step']): FlowFetch {
	return (input, init = {}) => {
		const { timeoutMs = DEFAULT_FETCH_TIMEOUT_MS, stepName, ...rest } = init
		const request = new Request(input, rest)
		const url = new URL(request.url)
		// Method and host only: paths and queries can carry secrets (Slack webhook URLs, tokens).
		const name = stepName ?? `${request.method} ${url.host}`
		const timeoutError = () => new Error(`Request to ${url.host} timed out after ${timeoutMs} ms`)
		return step(name, async () => {
			const controller = new AbortController()
			let timer: ReturnType<typeof setTimeout> | undefined
			// The timer bounds the call even if the fetch implementation ignores the signal.
			const timeout = new Promise<never>((_resolve, reject) => {
				timer = setTimeout(() => {
					controller.abort(timeoutError())
					reject(timeoutError())
				}, timeoutMs)
			})
			try {
				return await Promise.race([fetch(request, { signal: controller.signal }), timeout])
			} catch (err) {
				if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
					throw timeoutError()
				}
				throw err
			} finally {
				if (timer !== undefined) clearTimeout(timer)
			}
		})
	}
}

/** Keeps recorded values small and JSON-safe: the full result goes to R2, not the record. */
export function recordable(value: unknown): Json | undefined {
	if (value === undefined) return undefined
	// Recording is a courtesy to the operator: a value that cannot be written down
	// (nested too deeply, a BigInt, a cycle) is noted as such, and never fails the flow.
	try {
		const json = toJson(value)
		if (json.length <= MAX_RECORDED_OUTPUT_CHARS) return JSON.parse(json) as Json
		return { truncated: true, preview: json.slice(0, MAX_RECORDED_OUTPUT_CHARS) }
	} catch (err) {
		return { unrecordable: describe(err) }
	}
}

export async function runFlow(
	flow: FlowDefinition,
	input: RunInput,
	payload: TriggerPayload,
): Promise<FlowOutcome> {
	const steps: StepRecord[] = []
	const logs: LogRecord[] = []
	let lastStepOutput: unknown
	let ranStep = false

	const log = (level: LogRecord['level']) => (message: string, data?: unknown) => {
		if (logs.length >= MAX_LOG_LINES) return
		const entry: LogRecord = { level, message: String(message), at: new Date().toISOString() }
		if (data !== undefined) entry.data = recordable(data)
		logs.push(entry)
	}

	const context: FlowContext = {
		executionId: input.executionId,
		attempt: input.attempt,
		instance: input.instance,
		config: input.config,
		webhookUrls: input.webhookUrls,
		instanceState: input.instanceState,
		log: { info: log('info'), warn: log('warn'), error: log('error') },
		fetch: (input, init) => recordedFetch(context.step)(input, init),
		async step<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
			const started = Date.now()
			const record: StepRecord = {
				name,
				startedAt: new Date(started).toISOString(),
				finishedAt: '',
				durationMs: 0,
			}
			steps.push(record)
			try {
				const output = await fn()
				record.output = output instanceof Response ? { status: output.status } : recordable(output)
				lastStepOutput = output
				ranStep = true
				return output
			} catch (err) {
				record.error = describe(err)
				throw err
			} finally {
				const finished = Date.now()
				record.finishedAt = new Date(finished).toISOString()
				record.durationMs = finished - started
			}
		},
	}

	if (flow.filter !== undefined) {
		const verdict = await applyFilter(flow.filter, payload, {
			config: input.config,
			instance: input.instance,
		})
		if (verdict.kind === 'error')
			return { ok: false, error: `Filter failed: ${verdict.message}`, steps, logs }
		// Only a replay gets here filtered: the trigger path drops such requests unrecorded.
		if (verdict.kind === 'filtered') return { ok: true, result: { filtered: true }, steps, logs }
	}

	try {
		const returned = flow.steps
			? await runSteps(flow.steps, context, initialScope(context, payload))
			: await flow.onExecution(context, payload)
		return {
			ok: true,
			result: returned === undefined && ranStep ? lastStepOutput : returned,
			steps,
			logs,
		}
	} catch (err) {
		return { ok: false, error: describe(err), steps, logs }
	}
}

/** A flow result as bytes plus the content type the result URL serves it with. */
export function serializeResult(result: unknown): {
	body: Uint8Array | string | ChunkedBody
	contentType: string
} {
	if (isFlowResponse(result)) {
		const { data, contentType } = result
		if (typeof data === 'string' || data instanceof Uint8Array) return { body: data, contentType }
		return { body: jsonResultBody(data), contentType }
	}
	if (typeof result === 'string') return { body: result, contentType: 'text/plain; charset=utf-8' }
	if (result instanceof Uint8Array) return { body: result, contentType: 'application/octet-stream' }
	if (result instanceof ArrayBuffer)
		return { body: new Uint8Array(result), contentType: 'application/octet-stream' }
	return { body: jsonResultBody(result), contentType: 'application/json; charset=utf-8' }
}

function isFlowResponse(value: unknown): value is FlowResponse {
	if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return false
	const keys = Object.keys(value)
	return (
		keys.length === 2 &&
		'data' in value &&
		'contentType' in value &&
		typeof (value as { contentType: unknown }).contentType === 'string'
	)
}
