/**
 * Whatever a client sends, the trigger URL answers 4xx, never 5xx: bodies cut short,
 * methods that do not deliver (HEAD probes, OPTIONS, TRACE, WebDAV, ...), malformed URLs
 * and credentials, oversized headers. None of these starts an execution.
 */
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import worker from '../../src/index'
import { admin, BASE, call, createExamples, patchEndpoint, post, postJson } from '../helpers'

const ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

async function executionsOf(endpointId: string): Promise<unknown[]> {
	const res = await admin(`/api/executions?endpoint=${endpointId}`)
	expect(res.status).toBe(200)
	return ((await res.json()) as { executions: unknown[] }).executions
}

async function expectJsonError(res: Response, status: number, error: string | RegExp) {
	expect(res.status).toBe(status)
	expect(res.headers.get('content-type')).toMatch(/^application\/json/)
	const body = (await res.json()) as Record<string, unknown>
	expect(Object.keys(body)).toEqual(['error'])
	if (typeof error === 'string') expect(body.error).toBe(error)
	else expect(body.error).toMatch(error)
	expect(res.headers.has('triggerflare-execution-id')).toBe(false)
}

const encoder = new TextEncoder()

/** A body whose sender stops after a few bytes and closes cleanly. */
function endsEarly(): ReadableStream<Uint8Array> {
	return new ReadableStream({
		start(controller) {
			controller.enqueue(encoder.encode('{"order":'))
			controller.close()
		},
	})
}

/** A body whose connection drops after a few bytes: the runtime's read then throws. */
function dropsConnection(): ReadableStream<Uint8Array> {
	return new ReadableStream({
		start(controller) {
			controller.enqueue(encoder.encode('{"order":'))
		},
		pull(controller) {
			controller.error(new Error('Network connection lost.'))
		},
	})
}

/**
 * The Worker's own fetch handler, given the Request workerd hands it when a client's
 * connection breaks off mid-body. (Through `exports.default.fetch` the test's own stream
 * error is not carried across: the Worker sees an early end instead, covered above.)
 */
function direct(path: string, init: RequestInit): Promise<Response> {
	return Promise.resolve(
		worker.fetch(new Request(`${BASE}${path}`, init), env, createExecutionContext()),
	)
}

const SHORT =
	'Request body could not be read: the connection closed before Content-Length bytes arrived.'
const ABORTED =
	'Request body could not be read: the connection closed before the body was complete.'

describe('a body the client did not finish', () => {
	it('shorter than its Content-Length: 400, nothing accepted', async () => {
		const { echo } = await createExamples()
		for (const contentType of ['application/json', 'application/octet-stream']) {
			const res = await call(`/trigger/${echo}`, {
				method: 'POST',
				headers: { 'content-type': contentType, 'content-length': '100' },
				body: endsEarly(),
			})
			await expectJsonError(res, 400, SHORT)
		}
		expect(await executionsOf(echo)).toEqual([])
	})

	it('the connection drops mid-body, with or without Content-Length: 400, nothing accepted', async () => {
		const { echo } = await createExamples()
		const withLength = await direct(`/trigger/${echo}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'content-length': '100' },
			body: dropsConnection(),
		})
		await expectJsonError(withLength, 400, SHORT)
		const chunked = await direct(`/trigger/${echo}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: dropsConnection(),
		})
		await expectJsonError(chunked, 400, ABORTED)
		expect(await executionsOf(echo)).toEqual([])
	})

	it('an endpoint behind authentication answers the same 400 (the body is read first)', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'apiKey', keys: ['k1'] } })
		const res = await call(`/trigger/${echo}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'content-length': '64', 'api-key': 'k1' },
			body: endsEarly(),
		})
		await expectJsonError(res, 400, SHORT)
		expect(await executionsOf(echo)).toEqual([])
	})
})

describe('HEAD is a probe', () => {
	it('200 with no body when the endpoint exists; no execution, no rate budget spent', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { rateLimit: { requestsPerSecond: 1 } })
		for (const path of [`/trigger/${echo}`, `/trigger/${echo}/callbacks/trello?x=1`]) {
			const res = await call(path, { method: 'HEAD' })
			expect(res.status).toBe(200)
			expect(await res.text()).toBe('')
			expect(res.headers.has('triggerflare-execution-id')).toBe(false)
		}
		expect(await executionsOf(echo)).toEqual([])
		// The one request the window allows is still there for the real delivery.
		const delivery = await postJson(echo, { after: 'probes' })
		expect(delivery.status).toBe(200)
		expect((await executionsOf(echo)).length).toBe(1)
	})

	it('404 with no body for an unknown, malformed or deleted endpoint', async () => {
		const { echo, instance } = await createExamples()
		const unknown = await call('/trigger/abcdefghijklmnopqrstuvwxyz', { method: 'HEAD' })
		expect(unknown.status).toBe(404)
		expect(await unknown.text()).toBe('')
		const malformed = await call('/trigger/not-an-id', { method: 'HEAD' })
		expect(malformed.status).toBe(404)
		expect((await admin(`/api/instances/${instance.id}`, { method: 'DELETE' })).status).toBe(200)
		const deleted = await call(`/trigger/${echo}`, { method: 'HEAD' })
		expect(deleted.status).toBe(404)
	})

	it('does not need the endpoint credentials (nothing is delivered)', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'hmac', preset: 'github', secrets: ['s3cret'] } })
		const res = await call(`/trigger/${echo}`, { method: 'HEAD' })
		expect(res.status).toBe(200)
		expect(await executionsOf(echo)).toEqual([])
	})
})

describe('methods that do not deliver', () => {
	it('OPTIONS: 204 with Allow, no execution', async () => {
		const { echo } = await createExamples()
		for (const path of [`/trigger/${echo}`, `/trigger/${echo}/a/b`]) {
			const res = await call(path, { method: 'OPTIONS' })
			expect(res.status).toBe(204)
			expect(res.headers.get('allow')).toBe(ALLOW)
			expect(await res.text()).toBe('')
		}
		expect(await executionsOf(echo)).toEqual([])
	})

	it('TRACE, WebDAV and other methods: 405 JSON with Allow, no execution', async () => {
		const { echo } = await createExamples()
		for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'LOCK', 'COPY', 'PURGE', 'SEARCH']) {
			for (const path of [`/trigger/${echo}`, `/trigger/${echo}/sub/path`]) {
				const res = await call(path, { method })
				await expectJsonError(res, 405, `Method ${method} is not allowed on trigger URLs.`)
				expect(res.headers.get('allow'), method).toBe(ALLOW)
			}
		}
		// The same for an endpoint that does not exist: the method is refused first.
		const unknown = await call('/trigger/abcdefghijklmnopqrstuvwxyz', { method: 'PROPFIND' })
		await expectJsonError(unknown, 405, 'Method PROPFIND is not allowed on trigger URLs.')
		expect(await executionsOf(echo)).toEqual([])
	})

	it('CONNECT and unregistered method names never reach the Worker as a Request', () => {
		// workerd refuses to build such a Request, so no fetch handler ever sees one: over
		// HTTP, workerd itself answers an unknown method name (501) and hands CONNECT to a
		// `connect()` handler. See the README (Trigger URLs).
		for (const method of ['CONNECT', 'FOO'])
			expect(() => new Request(`${BASE}/trigger/x`, { method })).toThrow(/Invalid HTTP method/)
	})

	it('the delivery methods still deliver', async () => {
		const { echo } = await createExamples()
		for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
			const res = await call(`/trigger/${echo}`, { method })
			expect(res.status, method).toBe(200)
			expect(res.headers.has('triggerflare-execution-id')).toBe(true)
		}
		expect((await executionsOf(echo)).length).toBe(5)
	})
})

describe('malformed URLs, credentials and headers', () => {
	it('malformed percent-encoding in the path: 400', async () => {
		const { echo } = await createExamples()
		const res = await post(echo, '{}', { 'content-type': 'application/json' }, '/%E0%A4%A')
		await expectJsonError(res, 400, 'Malformed percent-encoding in the URL path.')
		const inId = await call('/trigger/%E0%A4%A', { method: 'POST', body: '{}' })
		await expectJsonError(inId, 404, 'Endpoint not found.')
		expect(await executionsOf(echo)).toEqual([])
	})

	it('malformed query strings and form bodies are taken as they come (no 5xx)', async () => {
		const { echo } = await createExamples()
		const res = await call(`/trigger/${echo}?a=%ZZ&%=b`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: 'a=%ZZ&b=%',
		})
		expect(res.status).toBe(200)
	})

	it('a URL too long to carry: 431, nothing accepted', async () => {
		const { echo } = await createExamples()
		const res = await call(`/trigger/${echo}/${'a'.repeat(200_000)}`, { method: 'POST' })
		await expectJsonError(
			res,
			431,
			/^Request headers too large: \d+ bytes of headers and URL, at most \d+ can be carried\.$/,
		)
		expect(await executionsOf(echo)).toEqual([])
	})

	it('a huge header value: 431, nothing accepted', async () => {
		const { echo } = await createExamples()
		const res = await postJson(echo, {}, { 'x-padding': 'x'.repeat(200_000) })
		await expectJsonError(res, 431, /^Request headers too large: /)
		expect(await executionsOf(echo)).toEqual([])
	})

	it('malformed Basic credentials: 401 with the challenge, never 5xx', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'basic', username: 'hooks', password: 'pw' } })
		for (const authorization of [
			'Basic !!!',
			'Basic =',
			'Basic A',
			'Basic YWJj', // "abc": no colon
			'Basic /w==', // not UTF-8
			`Basic ${'A'.repeat(100_001)}`,
			'Basic',
			'Bearer x',
		]) {
			const res = await call(`/trigger/${echo}`, { method: 'POST', headers: { authorization } })
			await expectJsonError(res, 401, 'Unauthorized.')
			expect(res.headers.get('www-authenticate')).toBe('Basic realm="triggerflare"')
		}
		expect(await executionsOf(echo)).toEqual([])
	})

	it('garbage in every provider signature header: 401, never 5xx', async () => {
		const { echo } = await createExamples()
		const presets: Array<[string, string]> = [
			['github', 's'],
			['stripe', 'whsec_s'],
			['slack', 's'],
			['shopify', 's'],
			['standard-webhooks', 'whsec_c2VjcmV0'],
			['svix', 'whsec_c2VjcmV0'],
			['twilio', 's'],
			['zoom', 's'],
			['square', 's'],
			['hubspot', 's'],
			['paddle', 'pdl_ntfset_s'],
		]
		const names = [
			'x-hub-signature-256',
			'stripe-signature',
			'x-slack-signature',
			'x-slack-request-timestamp',
			'x-shopify-hmac-sha256',
			'webhook-id',
			'webhook-timestamp',
			'webhook-signature',
			'svix-id',
			'svix-timestamp',
			'svix-signature',
			'x-twilio-signature',
			'x-zm-signature',
			'x-zm-request-timestamp',
			'x-square-hmacsha256-signature',
			'x-hubspot-signature-v3',
			'x-hubspot-request-timestamp',
			'paddle-signature',
		]
		for (const [preset, secret] of presets) {
			expect(
				(await patchEndpoint(echo, { auth: { type: 'hmac', preset, secrets: [secret] } })).status,
			).toBe(200)
			for (const value of ['%%%===,,,;;;t=1e999;v1=zz;h1=', '9'.repeat(40), 't=,v1=']) {
				const headers = Object.fromEntries(names.map((n) => [n, value]))
				const res = await call(`/trigger/${echo}?bodySHA256=zz`, {
					method: 'POST',
					headers,
					body: 'x',
				})
				await expectJsonError(res, 401, 'Unauthorized.')
			}
		}
		expect(await executionsOf(echo)).toEqual([])
	})
})

describe('result URLs with odd ids', () => {
	it('answer 404, never 5xx', async () => {
		const { echo } = await createExamples()
		for (const path of [
			'/results/%ZZ/abc',
			`/results/${echo}-99999999999999999999999/${'a'.repeat(32)}`,
			`/results/${echo}-0/${'a'.repeat(32)}`,
			`/results/${echo}--1/${'a'.repeat(32)}`,
			`/results/${echo}-1/${'a'.repeat(64)}`,
			`/results/${'x'.repeat(10_000)}/${'a'.repeat(32)}`,
		]) {
			const res = await call(path)
			await expectJsonError(res, 404, 'Result not found or expired.')
		}
	})
})
