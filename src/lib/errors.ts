/**
 * The one error type of the gateway and the one place that turns errors into responses.
 * Routes throw `GatewayError`; `errorResponse` renders the SPEC's `{"error": "..."}` body.
 * @module
 */
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { log } from './log'

export type ErrorCode =
	| 'bad_request'
	| 'malformed_json'
	| 'malformed_xml'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'payload_too_large'
	| 'headers_too_large'
	| 'method_not_allowed'
	| 'rate_limited'
	| 'unavailable'
	| 'flow_failed'
	| 'upstream'
	| 'internal'

export interface GatewayErrorOptions {
	/** Extra response headers (Retry-After, WWW-Authenticate, ...). */
	headers?: Record<string, string>
	/** Logged, never sent: details an operator needs but a sender must not see. */
	internalMessage?: string
	cause?: unknown
}

export class GatewayError extends HTTPException {
	readonly code: ErrorCode
	readonly headers: Record<string, string>
	readonly internalMessage: string | undefined

	constructor(
		status: ContentfulStatusCode,
		code: ErrorCode,
		message: string,
		options: GatewayErrorOptions = {},
	) {
		// A GatewayError is an answer (401, 404, 413...), not a bug: its stack is never
		// logged, and capturing one was ~5% of the CPU of refusing a flood of forgeries.
		const stackTraceLimit = Error.stackTraceLimit
		Error.stackTraceLimit = 0
		try {
			super(status, { message, cause: options.cause })
		} finally {
			Error.stackTraceLimit = stackTraceLimit
		}
		this.code = code
		this.headers = options.headers ?? {}
		this.internalMessage = options.internalMessage
	}

	override getResponse(): Response {
		return jsonError(this.status, this.message, this.headers)
	}
}

/** The SPEC's error body. */
export function jsonError(
	status: number,
	message: string,
	headers: Record<string, string> = {},
): Response {
	return new Response(JSON.stringify({ error: message }), {
		status,
		headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
	})
}

export const MALFORMED_JSON = 'Received malformed JSON payload.'
export const MALFORMED_XML = 'Received malformed XML payload.'

export const rateLimitedMessage = (endpointId: string, limit: number): string =>
	`Endpoint with id: ${endpointId} has exceeded maximum allowed throughput of ${limit} requests/second. Please throttle your requests.`

/**
 * Maps anything thrown to a response. Unknown errors become a bare 500 with no detail:
 * stack traces and messages of internal errors can carry secrets or payload fragments.
 */
export function errorResponse(err: unknown): Response {
	if (err instanceof GatewayError) {
		if (err.internalMessage) {
			log('error', err.internalMessage, { code: err.code })
		}
		return err.getResponse()
	}
	if (err instanceof HTTPException) {
		const status = err.status >= 500 && err.status < 600 ? 502 : err.status
		return jsonError(status, err.message || 'Request failed')
	}
	log('error', 'unhandled', { error: describe(err) })
	return jsonError(500, 'Internal error')
}

/** Error text safe for logs and execution records (no stack, bounded length). */
export function describe(err: unknown): string {
	const text = err instanceof Error ? err.message || err.name : String(err)
	return text.length > 2000 ? `${text.slice(0, 2000)}…` : text
}
