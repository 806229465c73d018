/**
 * The integration authoring API end to end: config declarations, flow defaults,
 * onTrigger, declarative steps, context.fetch, endpoint modes and lifecycle hooks.
 * Third-party HTTP is mocked with a spy on the global fetch (the consumer runs in this
 * isolate); everything else is real.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { defineIntegration } from '../../src/integrations/define'
import { registerIntegration } from '../../src/integrations/registry'
import { admin, call, getExecution, postJson, waitForStatus } from '../helpers'

const hookCalls: string[] = []
let deployFailuresLeft = 0

registerIntegration(
	defineIntegration({
		name: 'authoring-test',
		config: {
			apiUrl: { type: 'string' },
			retries: { type: 'number', default: 3 },
			token: { type: 'string', secret: true, required: false },
		},
		flows: {
			keyed: {
				auth: { type: 'apiKey', header: 'x-api-key' },
				onExecution: (context) => ({
					apiUrl: context.config.apiUrl,
					retries: context.config.retries,
				}),
			},
			syncByDefault: {
				mode: 'sync',
				fifo: true,
				onExecution: (context) => ({ state: context.instanceState }),
			},
			challenge: {
				onTrigger(_context, payload) {
					const body = payload.body.data as { challenge?: string; skip?: boolean }
					if (body.skip) return { skip: true, response: { status: 202, body: 'skipped' } }
					if (body.challenge) return { response: { body: body.challenge } }
					return undefined
				},
				onExecution: () => 'ran',
			},
			declarative: {
				steps: [
					{
						type: 'transform',
						name: 'names',
						expression: '[body.people[age >= 18].name]',
					},
					{
						type: 'branch',
						name: 'any adults',
						condition: '$count(steps.names) > 0',
						whenTrue: [
							{
								type: 'loop',
								name: 'notify each',
								items: 'steps.names',
								steps: [
									{
										type: 'http',
										name: 'post',
										method: 'POST',
										url: 'config.apiUrl & "/greet"',
										body: '{"name": item, "index": index}',
									},
								],
							},
						],
						whenFalse: [{ type: 'transform', name: 'nobody', expression: '"no adults"' }],
					},
				],
			},
			slowCall: {
				retry: { attempts: 1 },
				async onExecution(context) {
					await context.fetch(`${context.config.apiUrl}/slow`, { timeoutMs: 50 })
				},
			},
		},
		async onInstanceDeploy(context) {
			hookCalls.push(`deploy:${context.instance.id}`)
			if (deployFailuresLeft > 0) {
				deployFailuresLeft--
				throw new Error('third party unavailable')
			}
			const res = await context.fetch(`${context.config.apiUrl}/register`, { method: 'POST' })
			const { id } = (await res.json()) as { id: string }
			return { remoteId: id }
		},
		onInstanceRemove(context) {
			hookCalls.push(`remove:${context.instance.id}:${String(context.instanceState.remoteId)}`)
		},
	}),
)

registerIntegration(
	defineIntegration({
		name: 'routed-test',
		flowSelector: 'header:x-event',
		instanceSelector: 'header:x-tenant',
		flows: {
			created: { onExecution: (context) => ({ flow: 'created', instance: context.instance.name }) },
			deleted: { onExecution: (context) => ({ flow: 'deleted', instance: context.instance.name }) },
		},
	}),
)

/**
 * The third party, for the whole file (lifecycle hooks of earlier tests may still be
 * running): answers by path and records what was asked. Tests swap the handler.
 */
type Handler = (url: URL, req: Request) => Response | Promise<Response>
const defaultHandler: Handler = (url) =>
	url.pathname === '/register' ? Response.json({ id: 'remote-7' }) : Response.json({ ok: true })
let handler: Handler = defaultHandler
let calls: Array<{ url: string; method: string; body: string }> = []
const realFetch = globalThis.fetch

beforeAll(() => {
	vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
		const req = new Request(input, init)
		const url = new URL(req.url)
		if (url.host !== 'api.third.example') return realFetch(input, init)
		calls.push({ url: req.url, method: req.method, body: await req.clone().text() })
		return handler(url, req)
	})
})
afterAll(() => vi.restoreAllMocks())
afterEach(() => {
	handler = defaultHandler
	deployFailuresLeft = 0
})

function mockThirdParty(h: Handler = defaultHandler) {
	handler = h
	calls = []
	return calls
}
const okThirdParty = () => mockThirdParty()

async function deploy(json: Record<string, unknown>) {
	const res = await admin('/api/instances', { method: 'POST', json })
	return { res, body: (await res.json()) as Record<string, unknown> & { id: string } }
}

/** Deploys `authoring-test` against the mocked third party; returns one flow's endpoint id. */
async function deployedEndpoint(flow: string): Promise<string> {
	const { body } = await deploy({
		integration: 'authoring-test',
		config: { apiUrl: 'https://api.third.example' },
	})
	const url = (body.webhookUrls as Record<string, string>)[flow] as string
	return new URL(url).pathname.split('/')[2] as string
}

async function waitForHook(id: string, hook: 'deploy' | 'remove', status = 'succeeded') {
	const deadline = Date.now() + 15_000
	for (;;) {
		const res = await admin(`/api/instances/${id}/lifecycle`)
		const body = (await res.json()) as {
			lifecycle: Record<string, { status: string; attempts: number; error?: string }>
			state: Record<string, unknown>
		}
		if (body.lifecycle[hook]?.status === status) return body
		if (Date.now() > deadline) throw new Error(`hook ${hook}: ${JSON.stringify(body.lifecycle)}`)
		await new Promise((r) => setTimeout(r, 50))
	}
}

describe('config declared by the integration', () => {
	it.each([
		[{}, 'Invalid request: config.apiUrl: is required'],
		[{ apiUrl: 7 }, 'Invalid request: config.apiUrl: must be a string'],
		[
			{ apiUrl: 'https://x', retries: 'three' },
			'Invalid request: config.retries: must be a number',
		],
		[
			{ apiUrl: 'https://x', extra: 1 },
			'Invalid request: config.extra: not declared by the integration',
		],
	])('400 naming the field for %j', async (config, message) => {
		const { res, body } = await deploy({ integration: 'authoring-test', config })
		expect(res.status).toBe(400)
		expect(body).toEqual({ error: message })
	})

	it('applies defaults, and never returns secret values', async () => {
		okThirdParty()
		const { res, body } = await deploy({
			integration: 'authoring-test',
			config: { apiUrl: 'https://api.third.example', token: 'tok-secret-123' },
		})
		expect(res.status).toBe(201)
		expect(body.config).toEqual({
			apiUrl: 'https://api.third.example',
			retries: 3,
			token: '[redacted]',
		})
		const read = await (await admin(`/api/instances/${body.id}`)).text()
		expect(read).not.toContain('tok-secret-123')
	})
})

describe('flow defaults', () => {
	it('generates API keys for apiKey flows (shown once) and protects their endpoints', async () => {
		okThirdParty()
		const { body } = await deploy({
			integration: 'authoring-test',
			config: { apiUrl: 'https://api.third.example' },
		})
		const keys = body.webhookApiKeys as Record<string, string[]>
		expect(keys.keyed).toHaveLength(1)
		expect(keys.keyed?.[0]).toMatch(/^[a-z2-7]{39}$/)
		const urls = body.webhookUrls as Record<string, string>
		const keyed = new URL(urls.keyed as string).pathname.split('/')[2] as string
		expect((await postJson(keyed, {})).status).toBe(401)
		const ok = await postJson(keyed, {}, { 'x-api-key': keys.keyed?.[0] as string })
		expect(ok.status).toBe(200)
		const exec = await waitForStatus(((await ok.json()) as { executionId: string }).executionId)
		const result = await (await call(new URL(exec.resultUrl as string).pathname)).json()
		expect(result).toEqual({ apiUrl: 'https://api.third.example', retries: 3 })
		// Later reads show how many keys there are, not the keys.
		const read = (await (await admin(`/api/instances/${body.id}`)).json()) as {
			webhookApiKeys: unknown
		}
		expect(read.webhookApiKeys).toMatchObject({ keyed: 1 })
	})

	it('applies a flow’s mode and fifo to its endpoint, and gives flows the deploy hook’s state', async () => {
		okThirdParty()
		const { body } = await deploy({
			integration: 'authoring-test',
			config: { apiUrl: 'https://api.third.example' },
		})
		await waitForHook(body.id, 'deploy')
		const endpoint = new URL(
			(body.webhookUrls as Record<string, string>).syncByDefault as string,
		).pathname.split('/')[2] as string
		const view = (await (await admin(`/api/endpoints/${endpoint}`)).json()) as {
			mode: string
			fifo: unknown
		}
		expect(view).toMatchObject({ mode: 'sync', fifo: true })
		const res = await postJson(endpoint, {})
		expect(res.status).toBe(303)
		const result = await (
			await call(new URL(res.headers.get('location') as string).pathname)
		).json()
		expect(result).toEqual({ state: { remoteId: 'remote-7' } })
	})
})

describe('onTrigger', () => {
	it('answers the sender itself and still runs the flow, or skips the execution', async () => {
		okThirdParty()
		const endpoint = await deployedEndpoint('challenge')
		const res = await postJson(endpoint, { challenge: '<b>abc</b>' })
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
		expect(res.headers.get('x-content-type-options')).toBe('nosniff')
		expect(await res.text()).toBe('<b>abc</b>')
		const id = res.headers.get('triggerflare-execution-id') as string
		expect((await waitForStatus(id)).status).toBe('succeeded')
		const skipped = await postJson(endpoint, { skip: true })
		expect(skipped.status).toBe(202)
		expect(await skipped.text()).toBe('skipped')
		expect(skipped.headers.get('triggerflare-execution-id')).toBeNull()
		const list = (await (await admin(`/api/executions?endpoint=${endpoint}`)).json()) as {
			executions: unknown[]
		}
		expect(list.executions).toHaveLength(1)
	})
})

describe('declarative steps (JSONata transform, branch, loop, HTTP)', () => {
	it('runs the steps, calls the API once per item and records every step', async () => {
		const calls = okThirdParty()
		const endpoint = await deployedEndpoint('declarative')
		const res = await postJson(
			endpoint,
			{
				people: [
					{ name: 'Ada', age: 36 },
					{ name: 'Tim', age: 9 },
					{ name: 'Grace', age: 45 },
				],
			},
			{ 'triggerflare-synchronous': 'true' },
		)
		expect(res.status).toBe(303)
		const greets = calls.filter((c) => c.url.endsWith('/greet'))
		expect(greets.map((c) => JSON.parse(c.body))).toEqual([
			{ name: 'Ada', index: 0 },
			{ name: 'Grace', index: 1 },
		])
		expect(greets.every((c) => c.method === 'POST')).toBe(true)
		const exec = await getExecution(res.headers.get('triggerflare-execution-id') as string)
		const names = exec.steps.map((s) => s.name)
		expect(names).toContain('names')
		expect(names).toContain('any adults')
		expect(names.filter((n) => n === 'post')).toHaveLength(2)
		expect(exec.steps.find((s) => s.name === 'names')?.output).toEqual(['Ada', 'Grace'])
	})

	it('takes the else branch when the condition is false', async () => {
		okThirdParty()
		const endpoint = await deployedEndpoint('declarative')
		const res = await postJson(
			endpoint,
			{ people: [{ name: 'Tim', age: 9 }] },
			{ 'triggerflare-synchronous': 'true' },
		)
		const result = await (
			await call(new URL(res.headers.get('location') as string).pathname)
		).json()
		expect(result).toEqual({ matched: false, output: 'no adults' })
	})
})

describe('context.fetch', () => {
	it('records a timed-out call as the failing step', async () => {
		// A third party whose /slow never answers.
		mockThirdParty((url) =>
			url.pathname === '/slow'
				? new Promise<Response>(() => {})
				: defaultHandler(url, new Request(url)),
		)
		const endpoint = await deployedEndpoint('slowCall')
		const res = await postJson(endpoint, {}, { 'triggerflare-synchronous': 'true' })
		expect(res.status).toBe(400)
		expect(await res.json()).toEqual({
			error: 'Request to api.third.example timed out after 50 ms',
		})
		const exec = await getExecution(res.headers.get('triggerflare-execution-id') as string)
		expect(exec.steps[0]).toMatchObject({
			name: 'GET api.third.example',
			error: 'Request to api.third.example timed out after 50 ms',
		})
	})
})

describe('lifecycle hooks', () => {
	it('runs onInstanceDeploy with retries, keeps its state, and onInstanceRemove on delete', async () => {
		const calls = okThirdParty()
		deployFailuresLeft = 2
		const { body } = await deploy({
			integration: 'authoring-test',
			config: { apiUrl: 'https://api.third.example' },
		})
		expect(body.lifecycle).toMatchObject({ deploy: { status: 'pending' } })
		const done = await waitForHook(body.id, 'deploy')
		expect(done.lifecycle.deploy).toMatchObject({ status: 'succeeded', attempts: 3 })
		expect(done.state).toEqual({ remoteId: 'remote-7' })
		expect(calls.filter((c) => c.url.endsWith('/register'))).toHaveLength(1)
		const del = await admin(`/api/instances/${body.id}`, { method: 'DELETE' })
		expect(del.status).toBe(200)
		await waitForHook(body.id, 'remove')
		expect(hookCalls).toContain(`remove:${body.id}:remote-7`)
	}, 20_000)
})

describe('endpoint modes', () => {
	it('instance: one endpoint, the flow chosen per request; no match → 404', async () => {
		const { body } = await deploy({
			integration: 'routed-test',
			name: 'Acme',
			endpointMode: 'instance',
		})
		const endpoints = body.endpoints as Array<{ id: string; flow: string }>
		expect(new Set(endpoints.map((e) => e.id)).size).toBe(1)
		const id = endpoints[0]?.id as string
		const urls = body.webhookUrls as Record<string, string>
		expect(urls.created).toBe(urls.deleted)
		const created = await postJson(
			id,
			{},
			{ 'x-event': 'deleted', 'triggerflare-synchronous': 'true' },
		)
		const exec = await getExecution(created.headers.get('triggerflare-execution-id') as string)
		expect(exec).toMatchObject({ flow: 'deleted', status: 'succeeded' })
		const none = await postJson(id, {}, { 'x-event': 'renamed' })
		expect(none.status).toBe(404)
		expect(await none.json()).toEqual({ error: 'No flow matches this request.' })
	})

	it('shared: one endpoint for every instance; instance and flow chosen per request', async () => {
		const acme = await deploy({
			integration: 'routed-test',
			name: 'Acme',
			routingKey: 'acme',
			endpointMode: 'shared',
		})
		const globex = await deploy({
			integration: 'routed-test',
			name: 'Globex',
			routingKey: 'globex',
			endpointMode: 'shared',
		})
		const shared = (acme.body.endpoints as Array<{ id: string }>)[0]?.id as string
		expect((globex.body.endpoints as Array<{ id: string }>)[0]?.id).toBe(shared)
		const run = async (tenant: string, event: string) => {
			const res = await postJson(
				shared,
				{},
				{ 'x-tenant': tenant, 'x-event': event, 'triggerflare-synchronous': 'true' },
			)
			return {
				res,
				exec:
					res.status === 303
						? await getExecution(res.headers.get('triggerflare-execution-id') as string)
						: null,
			}
		}
		const a = await run('acme', 'created')
		expect(a.exec).toMatchObject({ flow: 'created' })
		expect((a.exec as unknown as { instanceId: string }).instanceId).toBe(acme.body.id)
		const g = await run('globex', 'deleted')
		expect((g.exec as unknown as { instanceId: string }).instanceId).toBe(globex.body.id)
		const unknown = await run('initech', 'created')
		expect(unknown.res.status).toBe(404)
		expect(await unknown.res.json()).toEqual({ error: 'No instance matches this request.' })
		// Removing one instance closes the door for it only.
		await admin(`/api/instances/${acme.body.id}`, { method: 'DELETE' })
		expect((await run('acme', 'created')).res.status).toBe(404)
		expect((await run('globex', 'created')).res.status).toBe(303)
	})
})
