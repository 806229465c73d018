/**
 * "Send a test webhook" from an endpoint's page: the form's fields become a request to
 * the endpoint's public trigger URL, handled in-process by the real trigger handler, so
 * the endpoint's auth, size limit, handshakes, rate limit and routing apply exactly as
 * they do to a sender (an endpoint with auth refuses an unsigned test). Nothing of the
 * console's own request (cookies, origin) is forwarded.
 * @module
 */
import type { Context } from 'hono'
import { isTerminal } from '../endpoint/execution-record'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { parseExecutionId } from '../lib/ids'
import { publicOrigin, triggerUrl } from '../lib/urls'
import { EXECUTION_ID_HEADER } from '../trigger/respond'
import { callGateway } from './gateway'
import type { ConsoleEnv } from './middleware'

export interface TestWebhookForm {
	body: string
	contentType: string
	/** One `Name: value` per line. */
	headers: string
}

export const DEFAULT_TEST_WEBHOOK: TestWebhookForm = {
	body: '{\n  "hello": "world"\n}',
	contentType: 'application/json',
	headers: '',
}

/** What the gateway answered when no execution started (a refusal, a handshake, a filter). */
export interface GatewayAnswer {
	status: number
	contentType: string
	body: string
}

export type TestOutcome =
	| { kind: 'invalid'; error: string }
	| { kind: 'answered'; answer: GatewayAnswer }
	| { kind: 'started'; executionId: string; status: number }

/** Enough of an answer to read it on the page; a larger one is cut. */
const ANSWER_PREVIEW_CHARS = 4096
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** `Name: value` lines into headers; the error names the line a sender would fix. */
export function parseHeaderLines(
	text: string,
): { ok: true; headers: Array<[string, string]> } | { ok: false; error: string } {
	const headers: Array<[string, string]> = []
	const lines = text.split(/\r?\n/)
	for (const [index, line] of lines.entries()) {
		if (line.trim() === '') continue
		const colon = line.indexOf(':')
		const name = colon === -1 ? '' : line.slice(0, colon).trim()
		if (!HEADER_NAME.test(name))
			return { ok: false, error: `Headers, line ${index + 1}: expected "Name: value".` }
		headers.push([name, line.slice(colon + 1).trim()])
	}
	return { ok: true, headers }
}

function buildRequest(
	url: string,
	form: TestWebhookForm,
): { ok: true; request: Request } | { ok: false; error: string } {
	const parsed = parseHeaderLines(form.headers)
	if (!parsed.ok) return parsed
	const headers = new Headers()
	try {
		if (form.contentType.trim()) headers.set('content-type', form.contentType.trim())
		for (const [name, value] of parsed.headers) headers.append(name, value)
	} catch (err) {
		// Values the Headers class refuses (control characters, non-Latin-1 text).
		return { ok: false, error: `Headers: ${(err as Error).message}` }
	}
	return { ok: true, request: new Request(url, { method: 'POST', headers, body: form.body }) }
}

/** Sends the test and says what came of it. */
export async function sendTestWebhook(
	c: Context<ConsoleEnv>,
	endpointId: string,
	form: TestWebhookForm,
): Promise<TestOutcome> {
	const built = buildRequest(triggerUrl(publicOrigin(c.env, c.req.url), endpointId), form)
	if (!built.ok) return { kind: 'invalid', error: built.error }
	const res = await callGateway(c.env, built.request, c.executionCtx)
	const executionId = res.headers.get(EXECUTION_ID_HEADER)
	if (executionId) {
		await res.body?.cancel()
		return { kind: 'started', executionId, status: res.status }
	}
	const text = await res.text()
	return {
		kind: 'answered',
		answer: {
			status: res.status,
			contentType: res.headers.get('content-type') ?? '',
			body: text.length > ANSWER_PREVIEW_CHARS ? `${text.slice(0, ANSWER_PREVIEW_CHARS)}…` : text,
		},
	}
}

/**
 * Waits, a bounded time, for an execution to finish, so that a fast flow's page opens
 * on its result rather than on "queued". A slow one is shown as it is by then.
 */
export async function waitBriefly(env: Env, executionId: string, maxMs = 5000): Promise<void> {
	const parsed = parseExecutionId(executionId)
	if (!parsed) return
	const stub = endpointStub(env, parsed.endpointId)
	const deadline = Date.now() + maxMs
	for (;;) {
		const view = await stub.getExecution(parsed.sequence)
		if (!view || isTerminal(view.status) || Date.now() >= deadline) return
		await new Promise((r) => setTimeout(r, 100))
	}
}
