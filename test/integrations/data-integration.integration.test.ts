/**
 * A data integration from end to end, through the gateway's HTTP surface only: written
 * with PUT, deployed with POST /api/instances, triggered like any webhook (its filter
 * drops requests before anything is recorded), run by the queue consumer, its results
 * read back; replaced while deployed (new executions record the new version); refused
 * changes and deletes while instances use it.
 */
import { env, runInDurableObject } from 'cloudflare:test'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EndpointDO } from '../../src/endpoint/endpoint-do'
import { admin, call, postJson, waitForStatus } from '../helpers'

const orders = {
	description: 'Route large orders to the fulfilment API',
	config: {
		threshold: { type: 'number', default: 100 },
		fulfilmentUrl: { type: 'string', required: true },
	},
	flows: {
		orders: {
			filter: 'body.type = "order.created"',
			retry: { attempts: 2, initialDelayMs: 0 },
			steps: [
				{
					type: 'transform',
					name: 'order',
					expression: '{ "id": body.id, "large": body.amount > config.threshold }',
				},
				{
					type: 'branch',
					name: 'route',
					condition: 'steps.order.large',
					whenTrue: [
						{
							type: 'http',
							name: 'fulfil',
							method: 'POST',
							url: 'config.fulfilmentUrl & "/orders"',
							body: 'steps.order',
						},
					],
				},
				{ type: 'transform', name: 'result', expression: '{ "order": steps.order.id, "v": 1 }' },
			],
		},
	},
}

const calls: Array<{ url: string; body: string }> = []
const realFetch = globalThis.fetch
beforeAll(() => {
	vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
		const req = new Request(input, init)
		if (new URL(req.url).host !== 'fulfil.example') return realFetch(input, init)
		calls.push({ url: req.url, body: await req.text() })
		return Response.json({ accepted: true }, { status: 202 })
	})
})
afterAll(() => vi.restoreAllMocks())

const put = (name: string, json: unknown) =>
	admin(`/api/integrations/${name}`, { method: 'PUT', json })

async function deploy(integration: string, config: Record<string, unknown>) {
	const res = await admin('/api/instances', { method: 'POST', json: { integration, config } })
	expect(res.status).toBe(201)
	const instance = (await res.json()) as {
		id: string
		webhookUrls: Record<string, string>
		endpoints: Array<{ id: string; flow: string }>
	}
	return { instance, endpoint: instance.endpoints[0]?.id as string }
}

async function resultOf(executionId: string): Promise<unknown> {
	const exec = (await (await admin(`/api/executions/${executionId}`)).json()) as {
		resultUrl: string
	}
	const res = await call(new URL(exec.resultUrl).pathname)
	expect(res.status).toBe(200)
	return res.json()
}

describe('a data integration, deployed and triggered', () => {
	it('runs its steps for requests its filter passes, drops the others unrecorded, and records its version', async () => {
		expect((await put('order-router', orders)).status).toBe(201)
		const { instance, endpoint } = await deploy('order-router', {
			fulfilmentUrl: 'https://fulfil.example',
		})
		expect(Object.keys(instance.webhookUrls)).toEqual(['orders'])

		const big = await postJson(endpoint, { type: 'order.created', id: 'o-1', amount: 250 })
		expect(big.status).toBe(200)
		const bigId = big.headers.get('triggerflare-execution-id') as string
		const small = await postJson(endpoint, { type: 'order.created', id: 'o-2', amount: 5 })
		const smallId = small.headers.get('triggerflare-execution-id') as string

		const dropped = await postJson(endpoint, { type: 'order.cancelled', id: 'o-3' })
		expect(dropped.status).toBe(200)
		expect(await dropped.json()).toEqual({ filtered: true })
		expect(dropped.headers.get('triggerflare-execution-id')).toBeNull()

		const ran = await waitForStatus(bigId)
		expect(ran.status).toBe('succeeded')
		expect(ran).toMatchObject({ integrationVersion: 1 })
		// An http step records its request as a step of its own (method and host).
		expect(ran.steps.map((s) => s.name)).toEqual([
			'order',
			'route',
			'fulfil',
			'POST fulfil.example',
			'result',
		])
		expect(await resultOf(bigId)).toEqual({ order: 'o-1', v: 1 })
		expect(calls).toEqual([
			{ url: 'https://fulfil.example/orders', body: JSON.stringify({ id: 'o-1', large: true }) },
		])
		const skipped = await waitForStatus(smallId)
		expect(skipped.steps.map((s) => s.name)).toEqual(['order', 'route', 'result'])

		// Only the two that passed the filter were recorded.
		const listed = (await (await admin(`/api/executions?instance=${instance.id}`)).json()) as {
			executions: Array<{ id: string }>
		}
		expect(listed.executions.map((e) => e.id).sort()).toEqual([bigId, smallId].sort())

		// The dropped request is counted as filtered (reported from the isolate within ~1 s).
		const filtered = () =>
			runInDurableObject(env.ENDPOINT.getByName(endpoint), async (obj: EndpointDO) =>
				(await obj.activity(2)).reduce((n, m) => n + m.filtered, 0),
			)
		await new Promise((r) => setTimeout(r, 1100))
		expect(await filtered()).toBe(1)
	})

	it('runs the new version on deployed instances after a replacement, and refuses dropping a flow in use or deleting while deployed', async () => {
		expect((await put('order-router-2', orders)).status).toBe(201)
		const { instance, endpoint } = await deploy('order-router-2', {
			fulfilmentUrl: 'https://fulfil.example',
		})
		const first = await postJson(endpoint, { type: 'order.created', id: 'a', amount: 1 })
		const firstId = first.headers.get('triggerflare-execution-id') as string
		expect(await waitForStatus(firstId)).toMatchObject({ integrationVersion: 1 })

		const v2 = structuredClone(orders)
		const steps = v2.flows.orders.steps
		steps[steps.length - 1] = {
			type: 'transform',
			name: 'result',
			expression: '{ "order": steps.order.id, "v": 2 }',
		}
		const replaced = await put('order-router-2', v2)
		expect(replaced.status).toBe(200)
		expect(await replaced.json()).toMatchObject({ version: 2 })

		const endpointView = (await (await admin(`/api/endpoints/${endpoint}`)).json()) as {
			integrationVersion: number
		}
		expect(endpointView.integrationVersion).toBe(2)
		const second = await postJson(endpoint, { type: 'order.created', id: 'b', amount: 1 })
		const secondId = second.headers.get('triggerflare-execution-id') as string
		expect(await waitForStatus(secondId)).toMatchObject({
			status: 'succeeded',
			integrationVersion: 2,
		})
		expect(await resultOf(secondId)).toEqual({ order: 'b', v: 2 })
		// The first execution keeps the version it ran.
		expect(await waitForStatus(firstId)).toMatchObject({ integrationVersion: 1 })

		const withoutFlow = { ...orders, flows: { other: orders.flows.orders } }
		const dropFlow = await put('order-router-2', withoutFlow)
		expect(dropFlow.status).toBe(409)
		expect(((await dropFlow.json()) as { error: string }).error).toContain('"orders"')

		const inUse = await admin('/api/integrations/order-router-2', { method: 'DELETE' })
		expect(inUse.status).toBe(409)
		expect(await inUse.json()).toEqual({
			error: 'Integration "order-router-2" is used by instances: delete them first.',
		})

		expect((await admin(`/api/instances/${instance.id}`, { method: 'DELETE' })).status).toBe(200)
		expect((await postJson(endpoint, { type: 'order.created' })).status).toBe(404)
		expect((await put('order-router-2', withoutFlow)).status).toBe(200)
		expect((await admin('/api/integrations/order-router-2', { method: 'DELETE' })).status).toBe(204)
	})

	it('answers synchronous flows with 303 to the result, and fails a run whose filter cannot be evaluated', async () => {
		const def = {
			flows: {
				quote: {
					mode: 'sync',
					filter: 'body.n * 2 > 0',
					steps: [{ type: 'transform', name: 'double', expression: '{ "doubled": body.n * 2 }' }],
				},
			},
		}
		expect((await put('quoter', def)).status).toBe(201)
		const { endpoint } = await deploy('quoter', {})
		const res = await postJson(endpoint, { n: 21 })
		expect(res.status).toBe(303)
		const result = await call(new URL(res.headers.get('location') as string).pathname)
		expect(await result.json()).toEqual({ doubled: 42 })

		expect(await (await postJson(endpoint, { n: -1 })).json()).toEqual({ filtered: true })

		// A filter that throws drops nothing: the request is recorded and its run fails with
		// the reason, replayable once the filter is fixed.
		const broken = await postJson(endpoint, { n: 'not a number' })
		expect(broken.status).toBe(400)
		const body = (await broken.json()) as { error: string; executionId: string }
		expect(body.error).toMatch(/^Filter failed: /)
		const exec = await waitForStatus(broken.headers.get('triggerflare-execution-id') as string)
		expect(exec.status).toBe('failed')
		expect(exec.error).toMatch(/^Filter failed: /)
	})

	it('takes a public key from instance config for Discord-signed flows, checked at deploy', async () => {
		const def = {
			config: { discordKey: { type: 'string', required: true } },
			flows: {
				interactions: {
					auth: { type: 'publicKey', preset: 'discord', keyConfig: 'discordKey' },
					steps: [{ type: 'transform', name: 'kind', expression: 'body.type' }],
				},
			},
		}
		expect((await put('discord-bot', def)).status).toBe(201)
		const refused = await admin('/api/instances', {
			method: 'POST',
			json: { integration: 'discord-bot', config: { discordKey: 'not-a-key' } },
		})
		expect(refused.status).toBe(400)
		expect(((await refused.json()) as { error: string }).error).toMatch(
			/^Invalid request: config\.discordKey: /,
		)

		const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
			'sign',
			'verify',
		])) as CryptoKeyPair
		const hex = (bytes: ArrayBuffer) =>
			Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('')
		const publicKey = hex((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer)
		const { endpoint } = await deploy('discord-bot', { discordKey: publicKey })
		const shown = (await (await admin(`/api/endpoints/${endpoint}`)).json()) as {
			auth: unknown
		}
		expect(shown.auth).toEqual({ type: 'publicKey', preset: 'discord', keys: [publicKey] })

		const body = JSON.stringify({ id: '1', type: 2 })
		const timestamp = String(Math.floor(Date.now() / 1000))
		const signature = hex(
			await crypto.subtle.sign(
				'Ed25519',
				pair.privateKey,
				new TextEncoder().encode(timestamp + body),
			),
		)
		const headers = {
			'content-type': 'application/json',
			'x-signature-ed25519': signature,
			'x-signature-timestamp': timestamp,
		}
		const signed = await call(`/trigger/${endpoint}`, { method: 'POST', body, headers })
		expect(signed.status).toBe(200)
		const run = await waitForStatus(signed.headers.get('triggerflare-execution-id') as string)
		expect(run.status).toBe('succeeded')
		const forged = await postJson(endpoint, { id: '2', type: 2 })
		expect(forged.status).toBe(401)
	})

	it('routes a shared endpoint by its selectors, with its generated API keys', async () => {
		const flow = (name: string) => ({
			auth: { type: 'apiKey', header: 'x-api-key' },
			steps: [{ type: 'transform', name: 'which', expression: `"${name}"` }],
		})
		const def = {
			endpointMode: 'shared',
			flowSelector: 'header:x-event',
			instanceSelector: 'body:account',
			flows: { created: flow('created'), deleted: flow('deleted') },
		}
		expect((await put('account-events', def)).status).toBe(201)
		const deployOne = async (routingKey: string) => {
			const res = await admin('/api/instances', {
				method: 'POST',
				json: { integration: 'account-events', routingKey },
			})
			expect(res.status).toBe(201)
			return (await res.json()) as {
				webhookUrls: Record<string, string>
				webhookApiKeys: Record<string, string[]>
			}
		}
		const acme = await deployOne('acme')
		const globex = await deployOne('globex')
		// One shared URL for every flow of every instance.
		expect(acme.webhookUrls.created).toBe(globex.webhookUrls.deleted)
		const url = new URL(acme.webhookUrls.created as string).pathname
		const send = (account: string, event: string, key: string | undefined) =>
			call(url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-event': event,
					...(key ? { 'x-api-key': key } : {}),
				},
				body: JSON.stringify({ account }),
			})
		// A shared endpoint's auth is set per endpoint (no one instance's key guards it).
		const endpointId = url.split('/')[2] as string
		const key = acme.webhookApiKeys.created?.[0] as string
		await admin(`/api/endpoints/${endpointId}`, {
			method: 'PATCH',
			json: { auth: { type: 'apiKey', header: 'x-api-key', keys: [key] } },
		})
		expect((await send('acme', 'deleted', undefined)).status).toBe(401)
		const routed = await send('globex', 'deleted', key)
		expect(routed.status).toBe(200)
		const exec = await waitForStatus(routed.headers.get('triggerflare-execution-id') as string)
		expect(exec).toMatchObject({ status: 'succeeded', flow: 'deleted', integrationVersion: 1 })
		// A string result is served as text.
		const result = await call(new URL(exec.resultUrl as string).pathname)
		expect(result.headers.get('content-type')).toBe('text/plain; charset=utf-8')
		expect(await result.text()).toBe('deleted')
		expect((await send('initech', 'created', key)).status).toBe(404)
		expect((await send('acme', 'updated', key)).status).toBe(404)
	})

	it('is refused as an instance with config its definition does not declare', async () => {
		expect(
			(await put('strict-config', { flows: { a: { steps: orders.flows.orders.steps } } })).status,
		).toBe(201)
		const res = await admin('/api/instances', {
			method: 'POST',
			json: { integration: 'strict-config', config: { nope: 1 } },
		})
		expect(res.status).toBe(400)
		expect(((await res.json()) as { error: string }).error).toContain('config.nope')
	})
})
