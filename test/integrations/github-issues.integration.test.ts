/**
 * `github-issues` end to end: one signed endpoint per instance, the flow chosen by the
 * `X-GitHub-Event` header. Deliveries are signed as GitHub signs them.
 * @see https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { admin, call, patchEndpoint, post, waitForStatus } from '../helpers'
import { endpointIdOf, mockHosts } from './third-party'

const SECRET = "It's a Secret to Everybody"

async function signature(body: string, secret = SECRET): Promise<string> {
	const key = await crypto.subtle.importKey(
		'raw',
		new TextEncoder().encode(secret),
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign'],
	)
	const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)))
	return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** A delivery as GitHub sends it: JSON, or `payload=<json>` for form-encoded webhooks. */
async function deliver(
	endpoint: string,
	event: string,
	payload: unknown,
	secret = SECRET,
	form = false,
) {
	const json = JSON.stringify(payload)
	const body = form ? new URLSearchParams({ payload: json }).toString() : json
	return post(endpoint, body, {
		'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json',
		'user-agent': 'GitHub-Hookshot/044aadd',
		'x-github-event': event,
		'x-github-delivery': crypto.randomUUID(),
		'x-github-hook-id': '292430182',
		'x-hub-signature-256': await signature(body, secret),
	})
}

const repository = { id: 1296269, full_name: 'octocat/Hello-World' }
const issue = {
	id: 1,
	number: 1347,
	title: 'Found a bug',
	state: 'open',
	user: { login: 'octocat' },
}

interface Exec {
	flow: string
	status: string
	resultUrl: string
}

async function run(res: Response): Promise<{ exec: Exec; result: unknown }> {
	expect(res.status).toBe(200)
	const { executionId } = (await res.json()) as { executionId: string }
	const exec = (await waitForStatus(executionId)) as unknown as Exec
	const result = await (await call(new URL(exec.resultUrl).pathname)).json()
	return { exec, result }
}

/**
 * An instance's single endpoint, protected with the github preset. Flows declare that
 * auth, but `instance`-mode endpoints do not get it at deploy yet, so it is set here.
 */
async function createEndpoint(): Promise<string> {
	const res = await admin('/api/instances', {
		method: 'POST',
		json: { integration: 'github-issues', config: { webhookSecret: SECRET } },
	})
	expect(res.status).toBe(201)
	const { webhookUrls } = (await res.json()) as { webhookUrls: Record<string, string> }
	expect(webhookUrls.issues).toBe(webhookUrls.issueComments)
	const endpoint = endpointIdOf(webhookUrls.issues as string)
	const patched = await patchEndpoint(endpoint, {
		auth: { type: 'hmac', preset: 'github', secrets: [SECRET] },
	})
	expect(patched.status).toBe(200)
	return endpoint
}

// The flows call no third party; any outbound request would fail the test.
beforeEach(() => {
	mockHosts({})
})
afterEach(() => {
	vi.restoreAllMocks()
})

describe('github-issues', () => {
	it('signs deliveries as GitHub does (its documented test vector)', async () => {
		expect(await signature('Hello, World!')).toBe(
			'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
		)
	})

	it('routes a signed issues event to the issues flow', async () => {
		const endpoint = await createEndpoint()
		const { exec, result } = await run(
			await deliver(endpoint, 'issues', { action: 'opened', issue, repository }),
		)
		expect(exec).toMatchObject({ flow: 'issues', status: 'succeeded' })
		expect(result).toEqual({ action: 'opened', issue: 1347, title: 'Found a bug' })
	})

	it('routes a signed issue_comment event to the issueComments flow', async () => {
		const endpoint = await createEndpoint()
		const { exec, result } = await run(
			await deliver(endpoint, 'issue_comment', {
				action: 'created',
				issue,
				comment: { id: 1362584739, body: 'Me too' },
				repository,
			}),
		)
		expect(exec).toMatchObject({ flow: 'issueComments', status: 'succeeded' })
		expect(result).toEqual({ action: 'created', issue: 1347, commentId: 1362584739 })
	})

	it('reads form-encoded deliveries (the webhook’s other content type) too', async () => {
		const endpoint = await createEndpoint()
		const { exec, result } = await run(
			await deliver(endpoint, 'issues', { action: 'closed', issue, repository }, SECRET, true),
		)
		expect(exec).toMatchObject({ flow: 'issues', status: 'succeeded' })
		expect(result).toEqual({ action: 'closed', issue: 1347, title: 'Found a bug' })
	})

	it('refuses a delivery signed with another secret, or not signed, with 401', async () => {
		const endpoint = await createEndpoint()
		const forged = await deliver(endpoint, 'issues', { action: 'opened', issue }, 'wrong secret')
		expect(forged.status).toBe(401)
		expect(await forged.json()).toEqual({ error: 'Unauthorized.' })
		const unsigned = await post(endpoint, JSON.stringify({ action: 'opened', issue }), {
			'content-type': 'application/json',
			'x-github-event': 'issues',
		})
		expect(unsigned.status).toBe(401)
		const list = (await (await admin(`/api/executions?endpoint=${endpoint}`)).json()) as {
			executions: unknown[]
		}
		expect(list.executions).toEqual([])
	})

	it('answers 404 to events no flow handles', async () => {
		const endpoint = await createEndpoint()
		const res = await deliver(endpoint, 'pull_request', { action: 'opened', number: 2 })
		expect(res.status).toBe(404)
		expect(await res.json()).toEqual({ error: 'No flow matches this request.' })
		expect(res.headers.get('triggerflare-execution-id')).toBeNull()
	})

	it('acknowledges GitHub’s ping without starting an execution, but only when signed', async () => {
		const endpoint = await createEndpoint()
		const ping = await deliver(endpoint, 'ping', { zen: 'Design for failure.', hook_id: 1 })
		expect(ping.status).toBe(200)
		expect(await ping.json()).toEqual({ ok: true })
		expect(ping.headers.get('triggerflare-execution-id')).toBeNull()
		expect((await deliver(endpoint, 'ping', { zen: 'x' }, 'wrong secret')).status).toBe(401)
		const list = (await (await admin(`/api/executions?endpoint=${endpoint}`)).json()) as {
			executions: unknown[]
		}
		expect(list.executions).toEqual([])
	})
})
