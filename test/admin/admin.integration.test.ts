/**
 * The admin API: authentication, validation, instances, endpoints, executions.
 */
import { describe, expect, it } from 'vitest'
import { admin, call, createExamples, patchEndpoint, postJson, waitForStatus } from '../helpers'

describe('admin authentication', () => {
	it.each([
		['no header', {}],
		['wrong token', { authorization: 'Bearer wrong-token' }],
		['wrong scheme', { authorization: 'Basic dGVzdC1hZG1pbi10b2tlbg==' }],
	])('401 with %s', async (_name, headers) => {
		for (const path of ['/api/instances', '/api/executions', `/api/endpoints/${'a'.repeat(26)}`]) {
			const res = await call(path, { headers })
			expect(res.status, path).toBe(401)
			expect(await res.json()).toEqual({ error: 'Missing or invalid admin token.' })
		}
		const create = await call('/api/instances', {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: JSON.stringify({ integration: 'examples' }),
		})
		expect(create.status).toBe(401)
	})
})

describe('instances', () => {
	it('creates an instance with one endpoint per flow, ids of 128 random bits, and webhookUrls', async () => {
		const res = await admin('/api/instances', {
			method: 'POST',
			json: { integration: 'examples', name: 'Acme' },
		})
		expect(res.status).toBe(201)
		const body = (await res.json()) as {
			id: string
			name: string
			webhookUrls: Record<string, string>
			endpoints: Array<{ id: string; flow: string; url: string }>
		}
		expect(body.name).toBe('Acme')
		expect(body.endpoints.map((e) => e.flow).sort()).toEqual([
			'digest',
			'echo',
			'fail',
			'flaky',
			'unreliable',
		])
		for (const e of body.endpoints) {
			expect(e.id).toMatch(/^[a-z2-7]{26}$/) // 26 base32 chars = 130 bits, 128 random
			expect(e.url).toBe(`https://gateway.test/trigger/${e.id}`)
			expect(body.webhookUrls[e.flow]).toBe(e.url)
		}
		const read = await admin(`/api/instances/${body.id}`)
		expect(read.status).toBe(200)
		expect(await read.json()).toMatchObject({ id: body.id, webhookUrls: body.webhookUrls })
	})

	it.each([
		[{}, 'Invalid request: integration: '],
		[
			{ integration: 'no-such-thing' },
			'Invalid request: integration: unknown integration "no-such-thing"',
		],
		[{ integration: 'examples', name: 7 }, 'Invalid request: name: '],
		[{ integration: 'examples', endpointMode: 'bogus' }, 'Invalid request: endpointMode: '],
		[{ integration: 'examples', extra: true }, 'Invalid request: (body): '],
	])('400 naming the field for %j', async (json, prefix) => {
		const res = await admin('/api/instances', { method: 'POST', json })
		expect(res.status).toBe(400)
		const { error } = (await res.json()) as { error: string }
		expect(error.startsWith(prefix)).toBe(true)
	})

	it('400 for a body that is not JSON', async () => {
		const res = await admin('/api/instances', {
			method: 'POST',
			body: '{nope',
			headers: { 'content-type': 'application/json' },
		})
		expect(res.status).toBe(400)
		expect(await res.json()).toHaveProperty('error')
	})

	it('404 for an unknown instance', async () => {
		expect((await admin('/api/instances/in_nothing')).status).toBe(404)
		expect((await admin('/api/instances/in_nothing', { method: 'DELETE' })).status).toBe(404)
	})
})

describe('endpoints', () => {
	it('reads and patches config; secrets are write-only', async () => {
		const { echo } = await createExamples()
		const patched = await patchEndpoint(echo, {
			auth: { type: 'apiKey', header: 'X-Key', keys: ['super-secret-key'] },
			rateLimit: { requestsPerSecond: 10 },
			mode: 'sync',
			maxBodyBytes: 2048,
			idempotencyHeader: 'X-Delivery',
		})
		expect(patched.status).toBe(200)
		const text = await (await admin(`/api/endpoints/${echo}`)).text()
		expect(text).not.toContain('super-secret-key')
		expect(JSON.parse(text)).toMatchObject({
			id: echo,
			url: `https://gateway.test/trigger/${echo}`,
			auth: { type: 'apiKey', header: expect.stringMatching(/^x-key$/i), keys: 1 },
			rateLimit: { requestsPerSecond: 10 },
			mode: 'sync',
			maxBodyBytes: 2048,
			idempotencyHeader: 'x-delivery',
		})
		const basic = await patchEndpoint(echo, {
			auth: { type: 'basic', username: 'u', password: 'pw-secret' },
		})
		expect(await basic.text()).not.toContain('pw-secret')
	})

	it.each([
		[{ rateLimit: { requestsPerSecond: 0 } }, 'rateLimit.requestsPerSecond'],
		[{ mode: 'later' }, 'mode'],
		[{ auth: { type: 'apiKey', keys: [] } }, 'auth.keys'],
		[{ auth: { type: 'magic' } }, 'auth.type'],
		[{ maxBodyBytes: -1 }, 'maxBodyBytes'],
		[{ fifo: { key: 'cookie:x' } }, 'fifo'],
		[{ unknownField: 1 }, '(body)'],
	])('400 naming the field for %j', async (patch, field) => {
		const { echo } = await createExamples()
		const res = await patchEndpoint(echo, patch)
		expect(res.status).toBe(400)
		const { error } = (await res.json()) as { error: string }
		expect(error.startsWith(`Invalid request: ${field}`)).toBe(true)
	})

	it('404 for an unknown endpoint', async () => {
		expect((await admin(`/api/endpoints/${'b'.repeat(26)}`)).status).toBe(404)
		expect((await patchEndpoint('b'.repeat(26), { mode: 'sync' })).status).toBe(404)
	})
})

describe('executions', () => {
	it('reads one execution with steps, timings and its result URL', async () => {
		const { echo } = await createExamples()
		const { executionId } = (await (await postJson(echo, { delayMs: 5 })).json()) as {
			executionId: string
		}
		await waitForStatus(executionId)
		const res = await admin(`/api/executions/${executionId}`)
		const exec = (await res.json()) as Record<string, unknown> & {
			steps: Array<Record<string, unknown>>
		}
		expect(exec).toMatchObject({
			id: executionId,
			endpointId: echo,
			flow: 'echo',
			status: 'succeeded',
			sequence: 1,
			attempts: 1,
		})
		for (const key of ['receivedAt', 'startedAt', 'finishedAt']) {
			expect(Number.isNaN(Date.parse(exec[key] as string)), key).toBe(false)
		}
		expect(exec.steps[0]).toMatchObject({ name: 'wait' })
		expect(typeof exec.steps[0]?.durationMs).toBe('number')
		expect(exec.resultUrl).toMatch(/^https:\/\/gateway\.test\/results\//)
		expect((await admin(`/api/executions/${echo}-99`)).status).toBe(404)
		expect((await admin('/api/executions/garbage')).status).toBe(404)
	})

	it('lists newest first with a cursor, filtered by endpoint, instance and status', async () => {
		const { echo, fail, instance } = await createExamples()
		const ids: string[] = []
		for (let i = 0; i < 5; i++) {
			const { executionId } = (await (await postJson(echo, { i })).json()) as {
				executionId: string
			}
			ids.push(executionId)
			await new Promise((r) => setTimeout(r, 2))
		}
		for (const id of ids) await waitForStatus(id)
		const page1 = (await (await admin(`/api/executions?endpoint=${echo}&limit=2`)).json()) as {
			executions: Array<{ id: string }>
			nextCursor: string | null
		}
		expect(page1.executions.map((e) => e.id)).toEqual([ids[4], ids[3]])
		expect(page1.nextCursor).not.toBeNull()
		const page2 = (await (
			await admin(`/api/executions?endpoint=${echo}&limit=2&cursor=${page1.nextCursor}`)
		).json()) as { executions: Array<{ id: string }>; nextCursor: string | null }
		expect(page2.executions.map((e) => e.id)).toEqual([ids[2], ids[1]])
		const page3 = (await (
			await admin(`/api/executions?endpoint=${echo}&limit=2&cursor=${page2.nextCursor}`)
		).json()) as { executions: Array<{ id: string }>; nextCursor: string | null }
		expect(page3.executions.map((e) => e.id)).toEqual([ids[0]])
		expect(page3.nextCursor).toBeNull()

		const failed = (await (
			await postJson(fail, { message: 'no' }, { 'triggerflare-synchronous': 'true' })
		).headers.get('triggerflare-execution-id')) as string
		const byInstance = (await (await admin(`/api/executions?instance=${instance.id}`)).json()) as {
			executions: Array<{ id: string }>
		}
		expect(byInstance.executions.map((e) => e.id)).toEqual([failed, ...[...ids].reverse()])
		const onlyFailed = (await (
			await admin(`/api/executions?instance=${instance.id}&status=failed`)
		).json()) as {
			executions: Array<{ id: string }>
		}
		expect(onlyFailed.executions.map((e) => e.id)).toEqual([failed])
	})

	it('400 for invalid list parameters', async () => {
		for (const q of ['limit=0', 'limit=1000', 'status=done', 'cursor=%%%', 'endpoint=short']) {
			const res = await admin(`/api/executions?${q}`)
			expect(res.status, q).toBe(400)
		}
	})
})
