/**
 * The README's walk-through against a real `wrangler dev`: a data integration made with
 * plain HTTP calls (the definition file the README's curl commands send), deployed,
 * triggered (its filter drops one request), and its results read back.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, startDevServer } from './dev-server'

let server: DevServer
const definition = readFileSync('examples/data-integrations/order-router.json', 'utf8')

beforeAll(async () => {
	server = await startDevServer('data-integration-token')
})
afterAll(async () => {
	await server?.stop()
})

const adminCall = (path: string, method: string, body?: string) =>
	fetch(`${server.url}${path}`, {
		method,
		headers: {
			authorization: `Bearer ${server.adminToken}`,
			...(body ? { 'content-type': 'application/json' } : {}),
		},
		...(body ? { body } : {}),
	})

async function waitFinished(executionId: string) {
	const deadline = Date.now() + 30_000
	for (;;) {
		const exec = (await (await adminCall(`/api/executions/${executionId}`, 'GET')).json()) as {
			status: string
			resultUrl?: string
			integrationVersion: number | null
			steps: Array<{ name: string }>
		}
		if (exec.status === 'succeeded' || exec.status === 'failed') return exec
		if (Date.now() > deadline) throw new Error(`execution stuck in ${exec.status}`)
		await new Promise((r) => setTimeout(r, 100))
	}
}

describe('a data integration made over HTTP, on npm run dev', () => {
	it('is created, deployed, triggered, filtered and read back', async () => {
		const put = await adminCall('/api/integrations/order-router', 'PUT', definition)
		expect(put.status).toBe(201)
		expect(await put.json()).toMatchObject({ name: 'order-router', version: 1 })

		const deployed = await adminCall(
			'/api/instances',
			'POST',
			JSON.stringify({ integration: 'order-router', config: { threshold: 50 } }),
		)
		expect(deployed.status).toBe(201)
		const { webhookUrls } = (await deployed.json()) as { webhookUrls: { orders: string } }

		const order = {
			type: 'order.created',
			id: 'ord_1001',
			customer: { email: 'ada@example.com' },
			items: [
				{ price: 20, quantity: 2 },
				{ price: 15, quantity: 1 },
			],
		}
		const accepted = await fetch(webhookUrls.orders, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(order),
		})
		expect(accepted.status).toBe(200)
		const { executionId } = (await accepted.json()) as { executionId: string }

		const dropped = await fetch(webhookUrls.orders, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ type: 'order.refunded', id: 'ord_1001' }),
		})
		expect(await dropped.json()).toEqual({ filtered: true })

		const exec = await waitFinished(executionId)
		expect(exec).toMatchObject({ status: 'succeeded', integrationVersion: 1 })
		expect(exec.steps.map((s) => s.name)).toEqual(['summary', 'size', 'large', 'result'])
		const result = await fetch(exec.resultUrl as string)
		expect(await result.json()).toEqual({
			order: 'ord_1001',
			total: 55,
			customer: 'ada@example.com',
			large: true,
		})
	})
})
