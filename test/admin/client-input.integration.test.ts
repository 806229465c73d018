/**
 * The admin API answers 400 `{"error":"Invalid request: <field>: <problem>"}` (or 404),
 * never 5xx, whatever the client sends: documents nested 100,000 levels deep, bodies
 * that are not JSON, custom responses no HTTP response could carry,
 * odd ids and methods.
 */
import { describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, admin, call, createExamples, patchEndpoint, postJson } from '../helpers'

const DEPTH = 100_000
const deepArray = `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`
const deepObject = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`

function send(method: string, path: string, body: string, contentType = 'application/json') {
	return admin(path, { method, headers: { 'content-type': contentType }, body })
}

async function expectInvalid(res: Response, error: string | RegExp) {
	expect(res.status).toBe(400)
	expect(res.headers.get('content-type')).toMatch(/^application\/json/)
	const body = (await res.json()) as Record<string, unknown>
	expect(Object.keys(body)).toEqual(['error'])
	if (typeof error === 'string') expect(body.error).toBe(error)
	else expect(body.error).toMatch(error)
}

async function instanceCount(): Promise<number> {
	const res = await admin('/api/instances')
	return ((await res.json()) as { instances: unknown[] }).instances.length
}

describe('deeply nested JSON', () => {
	it('POST /api/instances: 400 naming the field, nothing created', async () => {
		const before = await instanceCount()
		for (const [deep, field] of [
			[deepArray, 'config.x'],
			[deepObject, 'config.x'],
		] as const) {
			const res = await send(
				'POST',
				'/api/instances',
				`{"integration":"examples","config":{"x":${deep}}}`,
			)
			await expectInvalid(res, `Invalid request: ${field}: nested deeper than 64 levels`)
		}
		const name = await send(
			'POST',
			'/api/instances',
			`{"integration":"examples","name":${deepObject}}`,
		)
		await expectInvalid(name, 'Invalid request: name.a: nested deeper than 64 levels')
		const whole = await send('POST', '/api/instances', deepArray)
		await expectInvalid(whole, 'Invalid request: (body): nested deeper than 64 levels')
		expect(await instanceCount()).toBe(before)
	})

	it('PATCH /api/endpoints/{id}: 400, the config unchanged', async () => {
		const { echo } = await createExamples()
		for (const body of [
			`{"response":{"status":200,"body":${deepArray}}}`,
			`{"auth":${deepObject}}`,
			`{"handshakes":${deepArray}}`,
			deepObject,
		]) {
			const res = await send('PATCH', `/api/endpoints/${echo}`, body)
			await expectInvalid(res, /^Invalid request: [\w.()]+: nested deeper than 64 levels$/)
		}
		const config = (await (await admin(`/api/endpoints/${echo}`)).json()) as Record<string, unknown>
		expect(config.response).toBeNull()
		expect(config.auth).toEqual({ type: 'none' })
	})

	it('POST /api/endpoints/{id}/replay: 400', async () => {
		const { echo } = await createExamples()
		const res = await send('POST', `/api/endpoints/${echo}/replay`, `{"status":${deepArray}}`)
		await expectInvalid(res, 'Invalid request: status.0: nested deeper than 64 levels')
	})

	it('a document within the limit is judged by its schema as before', async () => {
		const nested = `${'['.repeat(60)}${']'.repeat(60)}`
		const res = await send(
			'POST',
			'/api/instances',
			`{"integration":"examples","config":{"x":${nested}}}`,
		)
		await expectInvalid(res, 'Invalid request: config.x: not declared by the integration')
	})
})

describe('bodies that are not JSON', () => {
	it('malformed JSON: 400', async () => {
		const { echo } = await createExamples()
		for (const body of ['{', '', '{"auth":', 'nul']) {
			const res = await send('PATCH', `/api/endpoints/${echo}`, body)
			await expectInvalid(res, 'Invalid request: (body): malformed JSON')
		}
	})

	it('a body sent without a JSON content type is refused, not silently ignored', async () => {
		const { echo } = await createExamples()
		const patch = JSON.stringify({ rateLimit: { requestsPerSecond: 5 } })
		for (const contentType of ['application/x-www-form-urlencoded', 'text/plain']) {
			const res = await send('PATCH', `/api/endpoints/${echo}`, patch, contentType)
			await expectInvalid(res, 'Invalid request: (body): the Content-Type must be application/json')
		}
		const config = (await (await admin(`/api/endpoints/${echo}`)).json()) as {
			rateLimit: { requestsPerSecond: number }
		}
		expect(config.rateLimit.requestsPerSecond).toBe(50)
		// No body at all is fine where every field has a default.
		const replay = await admin(`/api/endpoints/${echo}/replay`, { method: 'POST' })
		expect(replay.status).toBe(202)
	})
})

describe('custom responses no HTTP response could carry', () => {
	it('are refused by PATCH, so deliveries are never accepted and then answered 500', async () => {
		const { echo } = await createExamples()
		const cases: Array<[unknown, string]> = [
			[
				{ status: 200, contentType: 'text/plain\r\nx-injected: 1' },
				'Invalid request: response.contentType: not a valid HTTP header value',
			],
			[
				{ status: 200, headers: { 'x-a': 'a\u0000b' } },
				'Invalid request: response.headers.x-a: not a valid HTTP header value',
			],
			[
				{ status: 200, headers: { 'x-a': 'a\nb' } },
				'Invalid request: response.headers.x-a: not a valid HTTP header value',
			],
			[
				{ status: 200, body: 'x', headers: { 'Content-Length': '999' } },
				'Invalid request: response.headers.content-length: set by the gateway, cannot be configured',
			],
			[
				{ status: 200, headers: { 'transfer-encoding': 'chunked' } },
				'Invalid request: response.headers.transfer-encoding: set by the gateway, cannot be configured',
			],
			[
				{ status: 200, headers: { 'triggerflare-execution-id': 'x' } },
				'Invalid request: response.headers.triggerflare-execution-id: set by the gateway, cannot be configured',
			],
		]
		for (const [response, error] of cases) {
			await expectInvalid(await patchEndpoint(echo, { response }), error)
		}
		const delivery = await postJson(echo, {})
		expect(delivery.status).toBe(200)
	})

	it('a status that cannot have a body is answered without one', async () => {
		const { echo } = await createExamples()
		for (const status of [204, 205, 304]) {
			const patched = await patchEndpoint(echo, { response: { status, body: 'ignored' } })
			expect(patched.status).toBe(200)
			const res = await postJson(echo, {})
			expect(res.status).toBe(status)
			expect(await res.text()).toBe('')
			expect(res.headers.get('triggerflare-execution-id')).toMatch(/-\d+$/)
		}
	})
})

describe('odd ids and methods', () => {
	it('answer 404, never 5xx', async () => {
		const { echo } = await createExamples()
		for (const path of [
			'/api/executions/%E0%A4%A',
			`/api/executions/${echo}-99999999999999999999999`,
			`/api/executions/${echo}--1`,
			'/api/executions/constructor',
			'/api/instances/__proto__',
			'/api/instances/%E0%A4%A',
			`/api/instances/${'x'.repeat(10_000)}`,
		]) {
			const res = await admin(path)
			expect(res.status, path).toBe(404)
			expect(Object.keys((await res.json()) as object)).toEqual(['error'])
		}
		const replay = await admin(`/api/executions/${echo}-99999999999999999999999/replay`, {
			method: 'POST',
		})
		expect(replay.status).toBe(404)
		const endpoint = await admin('/api/endpoints/not-an-id')
		await expectInvalid(endpoint, 'Invalid request: id: not an endpoint id')
	})

	it('TRACE, PROPFIND and friends: 401 without the token, 404 with it', async () => {
		for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'OPTIONS']) {
			const anonymous = await call('/api/instances', { method })
			expect(anonymous.status, method).toBe(401)
			const res = await call('/api/instances', {
				method,
				headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
			})
			expect(res.status, method).toBe(404)
			expect(await res.json()).toEqual({ error: 'Not found.' })
		}
	})

	it('malformed cursors and limits: 400', async () => {
		for (const [query, error] of [
			['cursor=%%%', 'Invalid request: cursor: invalid cursor'],
			[`cursor=${btoa('{"t":1e400,"e":"x","s":1}')}`, 'Invalid request: cursor: invalid cursor'],
			['limit=abc', /^Invalid request: limit: /],
			['endpoint=%E0%A4%A', 'Invalid request: endpoint: not an endpoint id'],
		] as const) {
			await expectInvalid(await admin(`/api/executions?${query}`), error)
		}
	})
})

describe('admin body size', () => {
	it('refuses a body over 1 MiB with 413 before reading it, and accepts one under', async () => {
		const big = JSON.stringify({
			flows: { a: { steps: [] } },
			description: 'x'.repeat(1024 * 1024),
		})
		const res = await admin('/api/integrations/too-big', {
			method: 'PUT',
			body: big,
			headers: { 'content-type': 'application/json' },
		})
		expect(res.status).toBe(413)
		expect(await res.json()).toEqual({
			error: "Request body exceeds the admin API's limit of 1048576 bytes.",
		})
		const small = await admin('/api/integrations/small-enough', {
			method: 'PUT',
			json: { flows: { a: { steps: [{ type: 'transform', name: 't', expression: '1' }] } } },
		})
		expect(small.status).toBe(201)
	})
})
