/**
 * The new handshakes through the real trigger route: answered with no execution,
 * provider-authenticated ones only after the endpoint's authentication, near-misses
 * delivered as ordinary executions.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { admin, call, createExamples, patchEndpoint, postJson } from '../helpers'

afterEach(() => {
	vi.restoreAllMocks()
})

async function executionCount(endpoint: string): Promise<number> {
	const list = (await (await admin(`/api/executions?endpoint=${endpoint}`)).json()) as {
		executions: unknown[]
	}
	return list.executions.length
}

async function endpointWith(patch: object): Promise<string> {
	const { echo } = await createExamples()
	const res = await patchEndpoint(echo, patch)
	if (res.status !== 200) throw new Error(`patch: ${res.status} ${await res.text()}`)
	return echo
}

describe('new handshakes on a live endpoint', () => {
	it('Twitch: an unauthenticated challenge gets 401; an authenticated one its raw challenge', async () => {
		const id = await endpointWith({
			handshakes: [{ type: 'twitch' }],
			auth: { type: 'apiKey', header: 'x-test-key', keys: ['k'] },
		})
		const body = { challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { id: 's' } }
		const headers = { 'twitch-eventsub-message-type': 'webhook_callback_verification' }
		expect((await postJson(id, body, headers)).status).toBe(401)
		const ok = await postJson(id, body, { ...headers, 'x-test-key': 'k' })
		expect(ok.status).toBe(200)
		expect(ok.headers.get('content-type')).toBe('text/plain; charset=utf-8')
		expect(await ok.text()).toBe('pogchamp-kappa-360noscope-vohiyo')
		expect(await executionCount(id)).toBe(0)
		// A notification with the same body is a delivery.
		const notification = await postJson(id, body, {
			'twitch-eventsub-message-type': 'notification',
			'x-test-key': 'k',
		})
		expect(notification.status).toBe(200)
		expect(notification.headers.get('triggerflare-execution-id')).not.toBeNull()
		expect(await executionCount(id)).toBe(1)
	})

	it('Okta: the verification GET passes the hook’s Authorization header first', async () => {
		const id = await endpointWith({
			handshakes: [{ type: 'okta' }],
			auth: { type: 'apiKey', header: 'authorization', keys: ['my-shared-secret'] },
		})
		const challenge = {
			'x-okta-verification-challenge': 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg',
		}
		expect((await call(`/trigger/${id}`, { headers: challenge })).status).toBe(401)
		const ok = await call(`/trigger/${id}`, {
			headers: { ...challenge, authorization: 'my-shared-secret' },
		})
		expect(ok.status).toBe(200)
		expect(await ok.json()).toEqual({ verification: 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg' })
		expect(await executionCount(id)).toBe(0)
	})

	it('Asana: the unsigned handshake is answered before authentication, echoing X-Hook-Secret', async () => {
		const id = await endpointWith({
			handshakes: [{ type: 'asana' }],
			auth: { type: 'hmac', header: 'x-hook-signature', secrets: ['not-yet-known'] },
		})
		const secret = 'b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81'
		const ok = await call(`/trigger/${id}`, {
			method: 'POST',
			headers: { 'x-hook-secret': secret },
		})
		expect(ok.status).toBe(200)
		expect(ok.headers.get('x-hook-secret')).toBe(secret)
		expect(await ok.text()).toBe('')
		expect(await executionCount(id)).toBe(0)
		// An event without a valid signature is still refused.
		expect((await postJson(id, { events: [] }, { 'x-hook-signature': 'ab' })).status).toBe(401)
	})

	it('AWS SNS: confirms a listed topic by fetching its SubscribeURL; no execution', async () => {
		const topic = 'arn:aws:sns:us-west-2:123456789012:MyTopic'
		const id = await endpointWith({ handshakes: [{ type: 'aws-sns', topicArns: [topic] }] })
		const url = `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${topic}&Token=2336412f37`
		const fetch = vi
			.spyOn(globalThis, 'fetch')
			.mockImplementation(async () => new Response('<ConfirmSubscriptionResponse/>'))
		const res = await call(`/trigger/${id}`, {
			method: 'POST',
			headers: {
				'x-amz-sns-message-type': 'SubscriptionConfirmation',
				'content-type': 'text/plain; charset=UTF-8',
			},
			body: JSON.stringify({
				Type: 'SubscriptionConfirmation',
				TopicArn: topic,
				SubscribeURL: url,
			}),
		})
		expect(res.status).toBe(200)
		expect(fetch.mock.calls.map(([u]) => String(u))).toEqual([url])
		expect(await executionCount(id)).toBe(0)
	})

	it('Google: the sync message authenticates on X-Goog-Channel-Token; change notifications deliver', async () => {
		const id = await endpointWith({
			handshakes: [{ type: 'google-channel' }],
			auth: { type: 'apiKey', header: 'x-goog-channel-token', keys: ['target=myApp'] },
		})
		const sync = {
			'x-goog-channel-id': '01234567-89ab-cdef-0123456789ab',
			'x-goog-resource-state': 'sync',
			'x-goog-message-number': '1',
		}
		const forged = await call(`/trigger/${id}`, { method: 'POST', headers: sync })
		expect(forged.status).toBe(401)
		const ok = await call(`/trigger/${id}`, {
			method: 'POST',
			headers: { ...sync, 'x-goog-channel-token': 'target=myApp' },
		})
		expect(ok.status).toBe(200)
		expect(await executionCount(id)).toBe(0)
		const change = await call(`/trigger/${id}`, {
			method: 'POST',
			headers: {
				...sync,
				'x-goog-resource-state': 'update',
				'x-goog-message-number': '2',
				'x-goog-channel-token': 'target=myApp',
			},
		})
		expect(change.headers.get('triggerflare-execution-id')).not.toBeNull()
		expect(await executionCount(id)).toBe(1)
	})

	it('monday.com and Strava: answered directly; a board event is an execution', async () => {
		const id = await endpointWith({
			handshakes: [{ type: 'monday' }, { type: 'strava', verifyToken: 'STRAVA' }],
		})
		const monday = await postJson(id, { challenge: 'abc' })
		expect(await monday.json()).toEqual({ challenge: 'abc' })
		const strava = await call(
			`/trigger/${id}?hub.verify_token=STRAVA&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.mode=subscribe`,
		)
		expect(await strava.json()).toEqual({ 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3' })
		const wrong = await call(`/trigger/${id}?hub.verify_token=x&hub.challenge=c&hub.mode=subscribe`)
		expect(wrong.status).toBe(403)
		expect(await executionCount(id)).toBe(0)
		const event = await postJson(id, { event: { type: 'create_pulse', challenge: 'abc' } })
		expect(event.headers.get('triggerflare-execution-id')).not.toBeNull()
	})

	it('a config with a bad option is a 400 naming the field', async () => {
		const { echo } = await createExamples()
		const res = await patchEndpoint(echo, {
			handshakes: [{ type: 'aws-sns', topicArns: ['arn:aws:sqs:us-west-2:123456789012:q'] }],
		})
		expect(res.status).toBe(400)
		expect(await res.text()).toContain('handshakes.0.topicArns.0')
	})
})
