/**
 * The deployed gateway end to end: deploy an instance of `orders` through the admin API,
 * post a webhook to its trigger URL, read the execution and its result.
 */
import { exports } from 'cloudflare:workers'
import { expect, it } from 'vitest'

const BASE = 'https://gateway.test'
const ADMIN = { authorization: 'Bearer test-admin-token' }

function call(url: string, init: RequestInit = {}): Promise<Response> {
	return exports.default.fetch(new Request(new URL(url, BASE), init))
}

async function waitForExecution(id: string): Promise<Record<string, unknown>> {
	const deadline = Date.now() + 20_000
	for (;;) {
		const res = await call(`/api/executions/${id}`, { headers: ADMIN })
		const execution = (await res.json()) as Record<string, unknown>
		if (execution.status === 'succeeded' || execution.status === 'failed') return execution
		if (Date.now() > deadline) throw new Error(`execution ${id} is still ${execution.status}`)
		await new Promise((resolve) => setTimeout(resolve, 50))
	}
}

it('runs an order webhook through the orders integration', async () => {
	const deployed = await call('/api/instances', {
		method: 'POST',
		headers: { ...ADMIN, 'content-type': 'application/json' },
		body: JSON.stringify({ integration: 'orders', name: 'Acme', config: { currency: 'USD' } }),
	})
	expect(deployed.status).toBe(201)
	const instance = (await deployed.json()) as { webhookUrls: Record<string, string> }
	const url = instance.webhookUrls.created
	expect(url).toMatch(/\/trigger\//)

	const order = {
		id: 'o-1',
		lines: [
			{ sku: 'tea', quantity: 2, unitPrice: 5 },
			{ sku: 'mug', quantity: 1, unitPrice: 10 },
		],
	}
	const accepted = await call(url as string, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(order),
	})
	expect(accepted.status).toBe(200)
	const { executionId } = (await accepted.json()) as { executionId: string }

	const execution = await waitForExecution(executionId)
	expect(execution).toMatchObject({
		status: 'succeeded',
		steps: [expect.objectContaining({ name: 'net', output: 20 })],
	})

	const result = await call(execution.resultUrl as string)
	expect(result.status).toBe(200)
	expect(await result.json()).toEqual({ id: 'o-1', lines: 2, gross: 24, currency: 'USD' })
})

it('lists the integration this Worker registered, and no other code integration', async () => {
	const res = await call('/api/integrations', { headers: ADMIN })
	expect(res.status).toBe(200)
	const listed = (await res.json()) as Array<{ name: string; source: string; flows: string[] }>
	const code = listed.filter((integration) => integration.source === 'code')
	expect(code).toEqual([expect.objectContaining({ name: 'orders', flows: ['created'] })])
})
