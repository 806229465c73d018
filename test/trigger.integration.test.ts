/**
 * The trigger URL end to end, on the real bindings (EndpointDO, Queue, R2) in workerd:
 * every row of the SPEC's response table that the gateway core covers.
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { EndpointDO } from '../src/endpoint/endpoint-do'
import {
	call,
	createExamples,
	getExecution,
	patchEndpoint,
	post,
	postJson,
	waitForStatus,
} from './helpers'

const json = (r: Response) => r.json() as Promise<Record<string, unknown>>

describe('accepted, asynchronous', () => {
	it('answers 200 {"executionId"} with the execution id header, then runs the flow', async () => {
		const { echo } = await createExamples()
		const res = await postJson(echo, { hello: 'world' })
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toMatch(/^application\/json/)
		const body = await json(res)
		expect(Object.keys(body)).toEqual(['executionId'])
		expect(res.headers.get('triggerflare-execution-id')).toBe(body.executionId)
		const exec = await waitForStatus(body.executionId as string)
		expect(exec.status).toBe('succeeded')
		expect(exec.attempts).toBe(1)
	})

	it('accepts GET, PUT, PATCH and DELETE too', async () => {
		const { echo } = await createExamples()
		for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
			const res = await call(`/trigger/${echo}`, { method })
			expect(res.status, method).toBe(200)
		}
		// OPTIONS delivers nothing (test/trigger/client-input.integration.test.ts).
		const options = await call(`/trigger/${echo}`, { method: 'OPTIONS' })
		expect(options.status).toBe(204)
	})
})

describe('the trigger payload', () => {
	it('gives the flow headers, repeated query keys as arrays, the path fragment, method and body', async () => {
		const { echo } = await createExamples()
		const res = await call(`/trigger/${echo}/my/custom/path?a=1&a=2&b=x`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json', 'X-Custom-Header': 'Value' },
			body: JSON.stringify({ person: { name: 'Ada' } }),
			redirect: 'manual',
		})
		const { executionId } = (await res.json()) as { executionId: string }
		await waitForStatus(executionId)
		const exec = await getExecution(executionId)
		const result = await (await call(new URL(exec.resultUrl as string).pathname)).json()
		expect(result).toMatchObject({
			body: { data: { person: { name: 'Ada' } }, contentType: 'application/json' },
			queryParameters: { a: ['1', '2'], b: 'x' },
			pathFragment: 'my/custom/path',
			method: 'PUT',
		})
		expect((result as { headers: Record<string, string> }).headers['x-custom-header']).toBe('Value')
	})

	it('decodes the path fragment; a malformed escape is a 400 and records nothing', async () => {
		const { echo } = await createExamples()
		const res = await call(`/trigger/${echo}/caf%C3%A9/a%2Fb?q=%25`, { method: 'POST' })
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		await waitForStatus(executionId)
		const exec = await getExecution(executionId)
		const result = (await (await call(new URL(exec.resultUrl as string).pathname)).json()) as {
			pathFragment: string
			queryParameters: Record<string, string>
		}
		expect(result.pathFragment).toBe('café/a/b')
		expect(result.queryParameters).toEqual({ q: '%' })

		const bad = await call(`/trigger/${echo}/broken%E0%A4%A`, { method: 'POST' })
		expect(bad.status).toBe(400)
		expect(await bad.json()).toEqual({ error: 'Malformed percent-encoding in the URL path.' })
		const next = (await (await postJson(echo, {})).json()) as { executionId: string }
		expect((await getExecution(next.executionId)).sequence).toBe(2)
	})

	it('carries identity and order fields, and the raw bytes', async () => {
		const { echo, instance } = await createExamples()
		// A flow sees the full payload; this one is captured through the sync result of a
		// tiny inline check: echo returns body/headers only, so read identity off the record.
		const res = await postJson(echo, { n: 1 })
		const { executionId } = (await res.json()) as { executionId: string }
		const exec = await waitForStatus(executionId)
		expect(exec).toMatchObject({ sequence: 1, status: 'succeeded' })
		const rec = (await getExecution(executionId)) as unknown as Record<string, unknown>
		expect(rec.endpointId).toBe(echo)
		expect(rec.instanceId).toBe(instance.id)
		expect(rec.flow).toBe('echo')
		const second = (await (await postJson(echo, { n: 2 })).json()) as { executionId: string }
		expect((await waitForStatus(second.executionId)).sequence).toBe(2)
	})
})

describe('body parsing by content type', () => {
	async function echoResult(endpoint: string, body: BodyInit, contentType: string) {
		const res = await post(endpoint, body, {
			'content-type': contentType,
			'triggerflare-synchronous': 'true',
		})
		expect(res.status).toBe(303)
		const location = res.headers.get('location') as string
		return (await (await call(new URL(location).pathname)).json()) as {
			body: { data: unknown; contentType: string }
		}
	}

	it('JSON', async () => {
		const { echo } = await createExamples()
		expect((await echoResult(echo, '{"a":1}', 'application/json')).body.data).toEqual({ a: 1 })
	})

	it('XML (fast-xml-parser)', async () => {
		const { echo } = await createExamples()
		const r = await echoResult(echo, '<note><to>Tove</to></note>', 'application/xml')
		expect(r.body.data).toEqual({ note: { to: 'Tove' } })
	})

	it('urlencoded form', async () => {
		const { echo } = await createExamples()
		const r = await echoResult(echo, 'x=1&x=2&y=z', 'application/x-www-form-urlencoded')
		expect(r.body.data).toEqual({ x: ['1', '2'], y: 'z' })
	})

	it('multipart: JSON part parsed (body.data.person.data.firstname), file part as bytes', async () => {
		const { echo } = await createExamples()
		const form = new FormData()
		form.append(
			'person',
			new Blob(['{"firstname":"Grace"}'], { type: 'application/json' }),
			'p.json',
		)
		form.append('doc', new Blob([new Uint8Array([1, 2, 3])], { type: 'application/pdf' }), 'x.pdf')
		const req = new Request('https://x/', { method: 'POST', body: form })
		const bytes = await req.arrayBuffer()
		const r = await echoResult(echo, bytes, req.headers.get('content-type') as string)
		const data = r.body.data as Record<
			string,
			{ data: unknown; contentType: string; filename?: string }
		>
		expect(data.person).toMatchObject({
			data: { firstname: 'Grace' },
			contentType: 'application/json',
		})
		expect(data.doc).toEqual({ data: 'AQID', contentType: 'application/pdf', filename: 'x.pdf' })
	})

	it('text as a string, binary as bytes (base64 in a JSON result)', async () => {
		const { echo } = await createExamples()
		expect((await echoResult(echo, 'hello there', 'text/plain')).body.data).toBe('hello there')
		const bin = await echoResult(echo, new Uint8Array([0, 255, 16]), 'application/octet-stream')
		expect(bin.body.data).toBe('AP8Q')
	})

	it('malformed JSON → 400 with the SPEC message; nothing is recorded', async () => {
		const { echo } = await createExamples()
		const res = await post(echo, '{"broken":', { 'content-type': 'application/json' })
		expect(res.status).toBe(400)
		expect(await res.json()).toEqual({ error: 'Received malformed JSON payload.' })
		expect(res.headers.get('triggerflare-execution-id')).toBeNull()
		const ok = (await (await postJson(echo, {})).json()) as { executionId: string }
		expect((await getExecution(ok.executionId)).sequence).toBe(1)
	})

	it('malformed XML → 400 with the SPEC message', async () => {
		const { echo } = await createExamples()
		const res = await post(echo, '<a><b></a>', { 'content-type': 'text/xml' })
		expect(res.status).toBe(400)
		expect(await res.json()).toEqual({ error: 'Received malformed XML payload.' })
	})
})

describe('size limit (413)', () => {
	it('refuses by Content-Length before reading the body', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { maxBodyBytes: 1000 })
		const res = await post(echo, 'x'.repeat(1001), { 'content-type': 'text/plain' })
		expect(res.status).toBe(413)
		expect(await res.json()).toEqual({
			error: "Request body exceeds this endpoint's limit of 1000 bytes.",
		})
		expect((await post(echo, 'x'.repeat(1000), { 'content-type': 'text/plain' })).status).toBe(200)
	})

	it('refuses a streamed body (no Content-Length) once it passes the limit', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { maxBodyBytes: 1000 })
		let sent = 0
		const stream = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= 5000) return controller.close()
				sent += 500
				controller.enqueue(new Uint8Array(500))
			},
		})
		const res = await call(`/trigger/${echo}`, {
			method: 'POST',
			body: stream,
			headers: { 'content-type': 'application/octet-stream' },
			// @ts-expect-error: duplex is required for streaming request bodies
			duplex: 'half',
		})
		expect(res.status).toBe(413)
	})
})

describe('large bodies travel through R2', () => {
	it('round-trips a >128 KB body byte for byte', async () => {
		const { echo } = await createExamples()
		const size = 200_000
		const bytes = new Uint8Array(size)
		for (let i = 0; i < size; i++) bytes[i] = (i * 7) % 256
		const res = await post(echo, bytes, { 'content-type': 'application/octet-stream' })
		expect(res.status).toBe(200)
		const listed = await env.STORE.list({ prefix: `requests/${echo}/` })
		expect(listed.objects).toHaveLength(1)
		expect(listed.objects[0]?.size).toBe(size)
		const { executionId } = (await res.json()) as { executionId: string }
		const exec = await waitForStatus(executionId)
		expect(exec.status).toBe('succeeded')
		const result = (await (await call(new URL(exec.resultUrl as string).pathname)).json()) as {
			body: { data: string }
		}
		const back = Uint8Array.from(atob(result.body.data), (c) => c.charCodeAt(0))
		expect(back).toEqual(bytes)
	})

	it('the digest example flow reports a large body’s size and SHA-256', async () => {
		const { digest } = await createExamples()
		const size = 300_000
		const bytes = new Uint8Array(size)
		for (let i = 0; i < size; i++) bytes[i] = (i * 13) % 251
		const res = await post(digest, bytes, { 'content-type': 'application/octet-stream' })
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		const exec = await waitForStatus(executionId)
		expect(exec.status).toBe('succeeded')
		const result = await (await call(new URL(exec.resultUrl as string).pathname)).json()
		const expected = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))
		expect(result).toEqual({
			size,
			sha256: Array.from(expected, (b) => b.toString(16).padStart(2, '0')).join(''),
			contentType: 'application/octet-stream',
		})
	})
})

describe('synchronous invocation', () => {
	it('waits for the flow, 303s to an unguessable result URL served from R2 with its content type', async () => {
		const { echo } = await createExamples()
		const res = await postJson(echo, { sync: 1 }, { 'triggerflare-synchronous': 'true' })
		expect(res.status).toBe(303)
		expect(await res.text()).toBe('')
		const location = res.headers.get('location') as string
		const executionId = res.headers.get('triggerflare-execution-id') as string
		expect(location).toMatch(
			new RegExp(`^https://gateway\\.test/results/${executionId}/[a-z2-7]{32}$`),
		)
		const result = await call(new URL(location).pathname)
		expect(result.status).toBe(200)
		expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8')
		expect(((await result.json()) as { body: { data: unknown } }).body.data).toEqual({ sync: 1 })
	})

	it('an endpoint configured mode "sync" is synchronous without the header', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { mode: 'sync' })
		expect((await postJson(echo, {})).status).toBe(303)
	})

	it('a flow that throws → 400 {"error": message}, run once, recorded failed', async () => {
		const { fail } = await createExamples()
		const res = await postJson(
			fail,
			{ message: 'Kaboom from the flow' },
			{ 'triggerflare-synchronous': 'true' },
		)
		expect(res.status).toBe(400)
		expect(await res.json()).toEqual({ error: 'Kaboom from the flow' })
		const exec = await getExecution(res.headers.get('triggerflare-execution-id') as string)
		expect(exec).toMatchObject({ status: 'failed', attempts: 1, error: 'Kaboom from the flow' })
	})

	it('past the wait limit → 202 {"executionId"} and a Location where the result will appear', async () => {
		const { echo } = await createExamples()
		// SYNC_WAIT_MS is 10 s in the test config; this flow takes longer.
		const res = await postJson(echo, { delayMs: 10_000 }, { 'triggerflare-synchronous': 'true' })
		expect(res.status).toBe(202)
		const body = (await res.json()) as { executionId: string }
		expect(res.headers.get('triggerflare-execution-id')).toBe(body.executionId)
		const location = new URL(res.headers.get('location') as string).pathname
		const pending = await call(location)
		expect(pending.status).toBe(202)
		expect(await pending.json()).toMatchObject({ executionId: body.executionId })
		await waitForStatus(body.executionId)
		const done = await call(location)
		expect(done.status).toBe(200)
	}, 40_000)
})

describe('result URLs', () => {
	it('refuse a wrong token and expire', async () => {
		const { echo } = await createExamples()
		const res = await postJson(echo, {}, { 'triggerflare-synchronous': 'true' })
		const path = new URL(res.headers.get('location') as string).pathname
		const wrong = path.replace(/[a-z2-7]{32}$/, 'a'.repeat(32))
		expect((await call(wrong)).status).toBe(404)
		expect(await (await call(wrong)).json()).toEqual({ error: 'Result not found or expired.' })
		expect((await call(path)).status).toBe(200)
		// Age the stored result (kept in its execution row) past its expiry.
		await runInDurableObject(env.ENDPOINT.getByName(echo), (_obj: EndpointDO, state) => {
			state.storage.sql.exec('UPDATE executions SET result_expires_at = ?', Date.now() - 1)
		})
		expect((await call(path)).status).toBe(404)
	})

	it('serve a small asynchronous result from its execution row (no R2 object), and expire it', async () => {
		const { echo } = await createExamples()
		const { executionId } = (await (await postJson(echo, { hello: 'world' })).json()) as {
			executionId: string
		}
		const exec = await waitForStatus(executionId)
		const path = new URL(exec.resultUrl as string).pathname
		const res = await call(path)
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toMatch(/^application\/json/)
		expect(res.headers.get('cache-control')).toBe('private, no-store')
		expect(res.headers.get('triggerflare-execution-id')).toBe(executionId)
		expect(await res.json()).toMatchObject({ method: 'POST', body: { data: { hello: 'world' } } })
		expect(await env.STORE.head(`results/${executionId}`)).toBeNull()
		const wrong = path.replace(/[a-z2-7]{32}$/, 'a'.repeat(32))
		expect((await call(wrong)).status).toBe(404)

		// Past its expiry the URL refuses it, checked at read: no write per expiry. The row's
		// copy goes with the row at retention.
		const stub = env.ENDPOINT.getByName(echo)
		await runInDurableObject(stub, (_obj: EndpointDO, state) => {
			state.storage.sql.exec(
				'UPDATE executions SET result_expires_at = ? WHERE seq = 1',
				Date.now() - 1,
			)
		})
		expect((await call(path)).status).toBe(404)
		expect((await call(path)).status).toBe(404)
	})

	it('keep a large result in R2, and a small synchronous one in its row', async () => {
		const { echo } = await createExamples()
		const big = 'x'.repeat(20_000)
		const { executionId } = (await (await postJson(echo, { big })).json()) as {
			executionId: string
		}
		const exec = await waitForStatus(executionId)
		expect(await env.STORE.head(`results/${executionId}`)).not.toBeNull()
		const res = await call(new URL(exec.resultUrl as string).pathname)
		expect(res.status).toBe(200)
		expect(await res.json()).toMatchObject({ body: { data: { big } } })

		const sync = await postJson(echo, { small: true }, { 'triggerflare-synchronous': 'true' })
		expect(sync.status).toBe(303)
		const syncId = sync.headers.get('triggerflare-execution-id') as string
		expect(await env.STORE.head(`results/${syncId}`)).toBeNull()
		const result = await call(new URL(sync.headers.get('location') as string).pathname)
		expect(result.status).toBe(200)
		expect(await result.json()).toMatchObject({ body: { data: { small: true } } })
	})
})

describe('custom response', () => {
	it('answers with the configured status, content type, body and headers', async () => {
		const { echo } = await createExamples()
		const patched = await patchEndpoint(echo, {
			response: {
				status: 202,
				contentType: 'text/plain',
				body: 'thanks',
				headers: { 'x-ack': 'yes' },
			},
		})
		expect(patched.status).toBe(200)
		const res = await postJson(echo, {})
		expect(res.status).toBe(202)
		expect(res.headers.get('content-type')).toBe('text/plain')
		expect(res.headers.get('x-ack')).toBe('yes')
		expect(await res.text()).toBe('thanks')
		const executionId = res.headers.get('triggerflare-execution-id') as string
		expect((await waitForStatus(executionId)).status).toBe('succeeded')
	})

	it('the salesforce-ack preset answers the SOAP acknowledgement and still runs the flow', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { response: { preset: 'salesforce-ack' } })
		const res = await post(echo, '<a>1</a>', { 'content-type': 'text/xml' })
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toMatch(/^text\/xml/)
		expect(await res.text()).toContain('<Ack>true</Ack>')
		expect(
			(await waitForStatus(res.headers.get('triggerflare-execution-id') as string)).status,
		).toBe('succeeded')
	})
})

describe('unknown or deleted endpoint (404)', () => {
	it('answers 404 JSON for an unknown id and for a malformed one', async () => {
		const unknown = await post('a'.repeat(26), '{}', { 'content-type': 'application/json' })
		expect(unknown.status).toBe(404)
		expect(await unknown.json()).toEqual({
			error: `Endpoint with id: ${'a'.repeat(26)} was not found.`,
		})
		const malformed = await post('nope%3Cscript%3E', '{}')
		expect(malformed.status).toBe(404)
		expect(await malformed.json()).toEqual({ error: 'Endpoint not found.' })
	})

	it('answers 404 once the instance is deleted', async () => {
		const { echo, instance } = await createExamples()
		expect((await postJson(echo, {})).status).toBe(200)
		const del = await call(`/api/instances/${instance.id}`, {
			method: 'DELETE',
			headers: { authorization: 'Bearer test-admin-token' },
		})
		expect(del.status).toBe(200)
		expect((await postJson(echo, {})).status).toBe(404)
		expect(
			(
				await call(`/api/instances/${instance.id}`, {
					headers: { authorization: 'Bearer test-admin-token' },
				})
			).status,
		).toBe(404)
	})
})

describe('rate window (429)', () => {
	it('admits 50 in a second, refuses the 51st with the SPEC message and Retry-After, admits once the window rolls', async () => {
		const { echo } = await createExamples()
		const statuses = await Promise.all(
			Array.from({ length: 51 }, () => post(echo, null).then((r) => r.status)),
		)
		expect(statuses.filter((s) => s === 200)).toHaveLength(50)
		const refused = await post(echo, null)
		expect(refused.status).toBe(429)
		expect(await refused.json()).toEqual({
			error: `Endpoint with id: ${echo} has exceeded maximum allowed throughput of 50 requests/second. Please throttle your requests.`,
		})
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
		await new Promise((r) => setTimeout(r, 1100))
		expect((await post(echo, null)).status).toBe(200)
	})

	it('uses the endpoint’s configured limit in the message', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { rateLimit: { requestsPerSecond: 3 } })
		const statuses = []
		for (let i = 0; i < 4; i++) statuses.push((await post(echo, null)).status)
		expect(statuses).toEqual([200, 200, 200, 429])
		const res = await post(echo, null)
		expect(((await res.json()) as { error: string }).error).toContain(
			'maximum allowed throughput of 3 requests/second',
		)
	})

	it('survives eviction of the Durable Object (the window is rebuilt from storage)', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { rateLimit: { requestsPerSecond: 5 } })
		for (let i = 0; i < 5; i++) expect((await post(echo, null)).status).toBe(200)
		const { evictDurableObject } = await import('cloudflare:test')
		await evictDurableObject(env.ENDPOINT.getByName(echo))
		expect((await post(echo, null)).status).toBe(429)
	})

	it('refuses a saturated endpoint in the isolate until its window has room, and still counts every refusal', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { rateLimit: { requestsPerSecond: 3 } })
		for (let i = 0; i < 3; i++) expect((await post(echo, null)).status).toBe(200)
		const first = await post(echo, null)
		expect(first.status).toBe(429)
		const expected = await first.json()
		for (let i = 0; i < 5; i++) {
			const res = await post(echo, null)
			expect(res.status).toBe(429)
			expect(await res.json()).toEqual(expected)
			expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
		}
		// Two minutes of counters: the refusals and the report may fall on either side of a
		// minute boundary.
		const refusedByDo = () =>
			runInDurableObject(env.ENDPOINT.getByName(echo), async (obj: EndpointDO) =>
				(await obj.activity(2)).reduce((n, m) => n + m.rateLimited, 0),
			)
		// Only the first refusal was the DO's own; the isolate answered the other five.
		expect(await refusedByDo()).toBe(1)
		await new Promise((r) => setTimeout(r, 1100))
		expect(await refusedByDo()).toBe(6)
		expect((await post(echo, null)).status).toBe(200)
	})

	it('bad requests do not spend the budget: malformed bodies before a full burst', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { rateLimit: { requestsPerSecond: 5 } })
		for (let i = 0; i < 20; i++) {
			expect((await post(echo, '{', { 'content-type': 'application/json' })).status).toBe(400)
		}
		for (let i = 0; i < 5; i++) expect((await post(echo, null)).status).toBe(200)
	})
})

describe('authentication (401)', () => {
	it('refuses a missing or wrong API key without echoing it, before parsing and rate limiting', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, {
			auth: { type: 'apiKey', header: 'x-api-key', keys: ['k-one', 'k-two'] },
			rateLimit: { requestsPerSecond: 2 },
		})
		const missing = await postJson(echo, {})
		expect(missing.status).toBe(401)
		const wrong = await post(echo, '{not json', {
			'content-type': 'application/json',
			'x-api-key': 'guess-secret',
		})
		expect(wrong.status).toBe(401)
		const text = await wrong.text()
		expect(text).not.toContain('guess-secret')
		expect(text).not.toContain('k-one')
		for (let i = 0; i < 10; i++) await postJson(echo, {}, { 'x-api-key': 'nope' })
		expect((await postJson(echo, {}, { 'x-api-key': 'k-two' })).status).toBe(200)
		expect((await postJson(echo, {}, { 'x-api-key': 'k-one' })).status).toBe(200)
	})

	it('checks size before authentication (413 before 401)', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'apiKey', keys: ['k'] }, maxBodyBytes: 10 })
		expect((await post(echo, 'x'.repeat(11))).status).toBe(413)
	})
})

describe('durability (503)', () => {
	it('answers 503 with Retry-After when the request cannot be made durable, and records nothing', async () => {
		const { echo } = await createExamples()
		const stub = env.ENDPOINT.getByName(echo)
		await runInDurableObject(stub, (instance: EndpointDO) => {
			instance.faults.storage = true
		})
		const res = await postJson(echo, {})
		expect(res.status).toBe(503)
		expect(res.headers.get('retry-after')).toBe('5')
		expect(await res.json()).toEqual({ error: 'Service temporarily unavailable; please retry.' })
		await runInDurableObject(stub, (instance: EndpointDO) => {
			instance.faults.storage = false
		})
		const ok = (await (await postJson(echo, {})).json()) as { executionId: string }
		expect((await getExecution(ok.executionId)).sequence).toBe(1)
	})

	it('when the queue refuses, the accepted request waits in the DO outbox and the alarm sends it', async () => {
		const { echo } = await createExamples()
		const stub = env.ENDPOINT.getByName(echo)
		await runInDurableObject(stub, (instance: EndpointDO) => {
			instance.faults.queueSend = true
		})
		const res = await postJson(echo, { kept: true })
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		await new Promise((r) => setTimeout(r, 300))
		expect((await getExecution(executionId)).status).toBe('queued')
		await runInDurableObject(stub, (instance: EndpointDO) => {
			instance.faults.queueSend = false
		})
		// The alarm is due in 10 s; run it now instead of waiting.
		await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()))
		expect(await runDurableObjectAlarm(stub)).toBe(true)
		expect((await waitForStatus(executionId)).status).toBe('succeeded')
	})
})

describe('a Durable Object that dies after recording a request', () => {
	async function crashOnce(endpointId: string) {
		const stub = env.ENDPOINT.getByName(endpointId)
		await runInDurableObject(stub, (instance: EndpointDO) => {
			instance.faults.crashAfterRecord = true
		})
	}

	/**
	 * The message never reached the queue: the row's deadline (a minute after receipt)
	 * is when the alarm re-sends it. Time is moved there instead of waited for.
	 */
	async function deadlinePasses(endpointId: string) {
		const stub = env.ENDPOINT.getByName(endpointId)
		await runInDurableObject(stub, async (_i, state) => {
			state.storage.sql.exec('UPDATE executions SET lease_until = 0 WHERE finished_at IS NULL')
			await state.storage.setAlarm(Date.now())
		})
		expect(await runDurableObjectAlarm(stub)).toBe(true)
	}

	it("still runs it, and the sender's retry of the same delivery is answered as that execution", async () => {
		const { echo } = await createExamples()
		await crashOnce(echo)
		const headers = { 'idempotency-key': 'crash-after-record-1' }
		const first = await postJson(echo, { n: 1 }, headers)
		expect(first.status).toBe(503)
		const retry = await postJson(echo, { n: 1 }, headers)
		expect(retry.status).toBe(200)
		const { executionId } = (await retry.json()) as { executionId: string }
		expect((await getExecution(executionId)).status).toBe('queued')
		await deadlinePasses(echo)
		const exec = await waitForStatus(executionId, ['succeeded', 'failed'], 25_000)
		expect(exec.status).toBe('succeeded')
		expect(exec.sequence).toBe(1)
	}, 30_000)

	it('on a FIFO endpoint, still runs it, and the lane goes on in order after it', async () => {
		const { echo } = await createExamples()
		expect((await patchEndpoint(echo, { fifo: true })).status).toBe(200)
		await crashOnce(echo)
		const headers = { 'idempotency-key': 'crash-fifo-1' }
		expect((await postJson(echo, { n: 1 }, headers)).status).toBe(503)
		const retry = await postJson(echo, { n: 1 }, headers)
		const after = await postJson(echo, { n: 2 })
		const first = (await retry.json()) as { executionId: string }
		const second = (await after.json()) as { executionId: string }
		const a = await waitForStatus(first.executionId, ['succeeded', 'failed'], 25_000)
		const b = await waitForStatus(second.executionId, ['succeeded', 'failed'], 25_000)
		expect([a.status, a.sequence, b.status, b.sequence]).toEqual(['succeeded', 1, 'succeeded', 2])
		expect(Date.parse(b.startedAt as string)).toBeGreaterThanOrEqual(
			Date.parse(a.finishedAt as string),
		)
	}, 30_000)

	it('keeps a large body it had already stored in R2', async () => {
		const { digest } = await createExamples()
		await crashOnce(digest)
		const body = new Uint8Array(200_000).fill(7)
		const headers = { 'content-type': 'application/octet-stream', 'idempotency-key': 'crash-2' }
		expect((await post(digest, body, headers)).status).toBe(503)
		const retry = await post(digest, body, headers)
		const { executionId } = (await retry.json()) as { executionId: string }
		await deadlinePasses(digest)
		const exec = await waitForStatus(executionId, ['succeeded', 'failed'], 25_000)
		expect(exec.status).toBe('succeeded')
		const result = await (await call(new URL(exec.resultUrl as string).pathname)).json()
		expect(result).toMatchObject({ size: 200_000 })
	}, 30_000)
})
