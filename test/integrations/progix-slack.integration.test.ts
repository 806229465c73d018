/**
 * `progix-slack` end to end: Progix's API and Slack are stand-ins answering the flow's
 * and hooks' HTTP calls; the gateway, queue, Durable Objects and R2 are real.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { admin, call, getExecution, postJson, waitForStatus } from '../helpers'
import { endpointIdOf, type HostHandler, mockHosts, waitForHook } from './third-party'

const API_KEY = 'pk_test_4f1c'
const SLACK_WEBHOOK = 'https://hooks.slack.com/services/T0000/B0000/slack-secret-path'

interface Webhook {
	id: string
	url: string
	events: string[]
}

/** Progix's webhook API as `src/integrations/progix-slack/progix-api.ts` documents it. */
function fakeProgix(webhooks: Webhook[] = [], beforeList?: () => Promise<void>): HostHandler {
	let next = 1
	return async (request, url) => {
		if (request.headers.get('authorization') !== `Bearer ${API_KEY}`)
			return Response.json({ error: 'unauthorized' }, { status: 401 })
		if (url.pathname === '/webhooks' && request.method === 'GET') {
			await beforeList?.()
			return Response.json({ webhooks })
		}
		if (url.pathname === '/webhooks' && request.method === 'POST') {
			const { url: target, events } = (await request.json()) as Omit<Webhook, 'id'>
			const webhook = { id: `wh_${next++}`, url: target, events }
			webhooks.push(webhook)
			return Response.json(webhook, { status: 201 })
		}
		const id = /^\/webhooks\/([^/]+)$/.exec(url.pathname)?.[1]
		if (id && request.method === 'DELETE') {
			const at = webhooks.findIndex((w) => w.id === id)
			if (at < 0) return Response.json({ error: 'not found' }, { status: 404 })
			webhooks.splice(at, 1)
			return new Response(null, { status: 204 })
		}
		return Response.json({ error: 'not found' }, { status: 404 })
	}
}

/** Slack incoming webhooks answer `ok` as text. */
const slackOk: HostHandler = () =>
	new Response('ok', { headers: { 'content-type': 'text/plain; charset=utf-8' } })

interface Instance {
	id: string
	webhookUrls: { newAccounts: string }
	config: Record<string, unknown>
}

async function createInstance(): Promise<Instance> {
	const res = await admin('/api/instances', {
		method: 'POST',
		json: {
			integration: 'progix-slack',
			name: 'Acme',
			config: { progixApiKey: API_KEY, slackWebhookUrl: SLACK_WEBHOOK },
		},
	})
	expect(res.status).toBe(201)
	return (await res.json()) as Instance
}

/** An instance whose deploy hook has finished, so no hook outlives the test's mocks. */
async function deployed(): Promise<Instance> {
	const instance = await createInstance()
	await waitForHook(instance.id, 'deploy')
	return instance
}

const progixHost = 'api.progix.example'
const slackHost = 'hooks.slack.com'

afterEach(() => {
	vi.restoreAllMocks()
})

describe('onInstanceDeploy / onInstanceRemove', () => {
	it('registers the instance’s trigger URL with Progix and keeps the webhook id', async () => {
		const sent = mockHosts({
			[progixHost]: fakeProgix([
				{ id: 'wh_other', url: 'https://elsewhere.example/hook', events: ['accounts.created'] },
			]),
		})
		const instance = await createInstance()
		expect(instance.config).toEqual({
			progixApiUrl: 'https://api.progix.example',
			progixApiKey: '[redacted]',
			slackWebhookUrl: '[redacted]',
		})
		const done = await waitForHook(instance.id, 'deploy')
		expect(done.lifecycle.deploy).toMatchObject({ status: 'succeeded', attempts: 1 })
		expect(done.state).toEqual({ progixWebhookId: 'wh_1' })
		expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual([
			'GET https://api.progix.example/webhooks',
			'POST https://api.progix.example/webhooks',
		])
		expect(sent.every((r) => r.headers.authorization === `Bearer ${API_KEY}`)).toBe(true)
		expect(sent[1]?.headers['content-type']).toBe('application/json')
		expect(JSON.parse(sent[1]?.body as string)).toEqual({
			url: instance.webhookUrls.newAccounts,
			events: ['accounts.created'],
		})
	})

	it('reuses the webhook Progix already has for the trigger URL instead of adding one', async () => {
		const webhooks: Webhook[] = []
		let urlKnown: () => void = () => {}
		const known = new Promise<void>((resolve) => {
			urlKnown = resolve
		})
		// The hook's list call waits until the test has put the instance's URL in Progix.
		const sent = mockHosts({ [progixHost]: fakeProgix(webhooks, () => known) })
		const instance = await createInstance()
		webhooks.push({
			id: 'wh_existing',
			url: instance.webhookUrls.newAccounts,
			events: ['accounts.created'],
		})
		urlKnown()
		const done = await waitForHook(instance.id, 'deploy')
		expect(done.state).toEqual({ progixWebhookId: 'wh_existing' })
		expect(sent.map((r) => r.method)).toEqual(['GET'])
		expect(webhooks).toHaveLength(1)
	})

	it('deletes the Progix webhook when the instance is deleted', async () => {
		const webhooks: Webhook[] = []
		const sent = mockHosts({ [progixHost]: fakeProgix(webhooks) })
		const instance = await deployed()
		expect(webhooks).toHaveLength(1)
		const del = await admin(`/api/instances/${instance.id}`, { method: 'DELETE' })
		expect(del.status).toBe(200)
		const done = await waitForHook(instance.id, 'remove')
		expect(done.lifecycle.remove).toMatchObject({ status: 'succeeded', attempts: 1 })
		const last = sent.at(-1)
		expect(last).toMatchObject({
			method: 'DELETE',
			url: 'https://api.progix.example/webhooks/wh_1',
			headers: { authorization: `Bearer ${API_KEY}` },
		})
		expect(webhooks).toEqual([])
	})
})

describe('newAccounts (declarative steps)', () => {
	const accountsCreated = {
		event: 'accounts.created',
		accounts: [
			{ id: 'acc_1', name: 'Initech', plan: 'pro' },
			{ id: 'acc_2', name: 'Globex <!channel> & Co', plan: 'team' },
			{ id: 3, name: 'Hooli', plan: 'free' },
		],
	}

	it('posts one Slack message per new account and records the steps', async () => {
		const sent = mockHosts({ [progixHost]: fakeProgix(), [slackHost]: slackOk })
		const instance = await deployed()
		const res = await postJson(endpointIdOf(instance.webhookUrls.newAccounts), accountsCreated)
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		const exec = await waitForStatus(executionId)
		expect(exec).toMatchObject({ status: 'succeeded', attempts: 1 })

		const texts = [
			'New Progix account: *Initech* (pro plan, id acc_1)',
			// Slack would read <!channel> as a mention: the name is escaped.
			'New Progix account: *Globex &lt;!channel&gt; &amp; Co* (team plan, id acc_2)',
			'New Progix account: *Hooli* (free plan, id 3)',
		]
		const slack = sent.filter((r) => new URL(r.url).host === slackHost)
		expect(slack.map((r) => [r.method, r.url, r.headers['content-type']])).toEqual(
			texts.map(() => ['POST', SLACK_WEBHOOK, 'application/json']),
		)
		expect(slack.map((r) => JSON.parse(r.body))).toEqual(texts.map((text) => ({ text })))

		// Steps are listed as they start: the loop before the requests it makes.
		const steps = exec.steps.map((s) => s.name)
		expect(steps.slice(0, 2)).toEqual(['messages', 'post to Slack'])
		expect(steps.filter((n) => n === 'Slack message')).toHaveLength(3)
		expect(exec.steps[0]?.output).toEqual(texts)
		expect(exec.steps[1]?.output).toEqual(texts.map(() => ({ status: 200, body: 'ok' })))
		const result = await (await call(new URL(exec.resultUrl as string).pathname)).json()
		expect(result).toEqual(texts.map(() => ({ status: 200, body: 'ok' })))
	})

	it('posts nothing for other Progix events', async () => {
		const sent = mockHosts({ [progixHost]: fakeProgix(), [slackHost]: slackOk })
		const instance = await deployed()
		const res = await postJson(endpointIdOf(instance.webhookUrls.newAccounts), {
			event: 'accounts.deleted',
			accounts: [{ id: 'acc_1', name: 'Initech', plan: 'pro' }],
		})
		const exec = await waitForStatus(((await res.json()) as { executionId: string }).executionId)
		expect(exec.status).toBe('succeeded')
		expect(exec.steps[0]).toMatchObject({ name: 'messages', output: [] })
		expect(sent.filter((r) => new URL(r.url).host === slackHost)).toEqual([])
	})

	it('retries when Slack fails, then records the execution as failed with the error', async () => {
		const sent = mockHosts({
			[progixHost]: fakeProgix(),
			[slackHost]: () => new Response('internal_error', { status: 500 }),
		})
		const instance = await deployed()
		const res = await postJson(endpointIdOf(instance.webhookUrls.newAccounts), {
			event: 'accounts.created',
			accounts: [{ id: 'acc_9', name: 'Umbrella', plan: 'pro' }],
		})
		const { executionId } = (await res.json()) as { executionId: string }
		const exec = await waitForStatus(executionId, ['failed'])
		expect(exec).toMatchObject({
			status: 'failed',
			attempts: 2,
			error: 'HTTP 500 from hooks.slack.com',
		})
		expect(exec.attemptErrors.map((e) => [e.attempt, e.error])).toEqual([
			[1, 'HTTP 500 from hooks.slack.com'],
			[2, 'HTTP 500 from hooks.slack.com'],
		])
		expect(exec.steps.find((s) => s.name === 'Slack message')?.error).toBe(
			'HTTP 500 from hooks.slack.com',
		)
		expect(sent.filter((r) => new URL(r.url).host === slackHost)).toHaveLength(2)
		expect((await getExecution(executionId)).status).toBe('failed')
	})
})
