import { afterEach, describe, expect, it, vi } from 'vitest'
import {
	findHandshake,
	type HandshakeConfig,
	handshakeRequestFrom,
	matchHandshake,
} from '../../src/handshakes'
import { expectEcho, get, post, request } from './support'

afterEach(() => {
	vi.restoreAllMocks()
})

describe('findHandshake', () => {
	it('finds nothing when the endpoint has no handshakes', () => {
		expect(findHandshake([], get('challenge=abc'))).toBeNull()
	})

	it('answers only the handshakes the endpoint opted into', () => {
		const configs: HandshakeConfig[] = [{ type: 'slack' }]
		expect(findHandshake(configs, get('challenge=abc'))).toBeNull()
		expect(findHandshake(configs, get('crc_token=abc'))).toBeNull()
		expect(findHandshake(configs, post('validationToken=abc', ''))).toBeNull()
	})

	it('takes the first configured handshake the request matches', async () => {
		const request = get('challenge=c&crc_token=t')
		const dropboxFirst = findHandshake(
			[{ type: 'dropbox' }, { type: 'twitter', consumerSecret: 'k' }],
			request,
		)
		expect(dropboxFirst?.type).toBe('dropbox')
		await expectEcho(await (dropboxFirst?.answer() as Promise<Response>), 'c')
		const twitterFirst = findHandshake(
			[{ type: 'twitter', consumerSecret: 'k' }, { type: 'dropbox' }],
			request,
		)
		expect(twitterFirst?.type).toBe('twitter')
	})

	it('skips entries of unknown type (stored under an older, looser schema)', () => {
		const configs = [
			{ type: 'carrier-pigeon', secret: 'x' },
			{ type: 'dropbox' },
		] as unknown as HandshakeConfig[]
		expect(findHandshake(configs, get('challenge=c'))?.type).toBe('dropbox')
		expect(findHandshake(configs.slice(0, 1), get('challenge=c'))).toBeNull()
	})

	it('flags exactly the handshakes whose provider signs or authenticates them', () => {
		const signed = (configs: HandshakeConfig[], request: Parameters<typeof findHandshake>[1]) =>
			findHandshake(configs, request)?.signedByProvider
		expect(
			signed([{ type: 'slack' }], post('', { type: 'url_verification', challenge: 'c' })),
		).toBe(true)
		expect(
			signed(
				[{ type: 'zoom', secretToken: 'k' }],
				post('', { event: 'endpoint.url_validation', payload: { plainToken: 'p' } }),
			),
		).toBe(true)
		expect(signed([{ type: 'microsoft-graph' }], post('validationToken=t', ''))).toBe(false)
		expect(
			signed(
				[{ type: 'meta', verifyToken: 'v' }],
				get('hub.mode=subscribe&hub.challenge=c&hub.verify_token=v'),
			),
		).toBe(false)
		expect(signed([{ type: 'twitter', consumerSecret: 'k' }], get('crc_token=t'))).toBe(false)
		expect(signed([{ type: 'dropbox' }], get('challenge=c'))).toBe(false)
		expect(
			signed(
				[{ type: 'twitch' }],
				request(
					'POST',
					'',
					{
						'content-type': 'application/json',
						'twitch-eventsub-message-type': 'webhook_callback_verification',
					},
					{ challenge: 'c' },
				),
			),
		).toBe(true)
		expect(
			signed([{ type: 'okta' }], request('GET', '', { 'x-okta-verification-challenge': 'c' })),
		).toBe(true)
		expect(
			signed(
				[{ type: 'google-channel' }],
				request('POST', '', { 'x-goog-resource-state': 'sync', 'x-goog-channel-id': 'c' }),
			),
		).toBe(true)
		expect(
			signed(
				[{ type: 'aws-sns', topicArns: ['arn:aws:sns:us-west-2:123456789012:T'] }],
				request(
					'POST',
					'',
					{ 'x-amz-sns-message-type': 'SubscriptionConfirmation' },
					{
						Type: 'SubscriptionConfirmation',
						TopicArn: 'arn:aws:sns:us-west-2:123456789012:T',
						SubscribeURL: 'https://sns.us-west-2.amazonaws.com/',
					},
				),
			),
		).toBe(true)
		expect(signed([{ type: 'asana' }], request('POST', '', { 'x-hook-secret': 's' }))).toBe(false)
		expect(signed([{ type: 'rest-hooks' }], request('POST', '', { 'x-hook-secret': 's' }))).toBe(
			false,
		)
		expect(signed([{ type: 'monday' }], post('', { challenge: 'c' }))).toBe(false)
		expect(signed([{ type: 'notion' }], post('', { verification_token: 't' }))).toBe(false)
		expect(
			signed(
				[{ type: 'websub' }],
				get('hub.mode=subscribe&hub.topic=https://example.com/f&hub.challenge=c'),
			),
		).toBe(false)
		expect(
			signed(
				[{ type: 'strava', verifyToken: 'v' }],
				get('hub.mode=subscribe&hub.challenge=c&hub.verify_token=v'),
			),
		).toBe(false)
		expect(signed([{ type: 'adobe-io' }], get('challenge=c'))).toBe(false)
	})

	it('carries a capture only for handshakes that hand over a secret', () => {
		expect(findHandshake([{ type: 'dropbox' }], get('challenge=c'))).not.toHaveProperty('capture')
		expect(
			findHandshake([{ type: 'notion' }], post('', { verification_token: 'secret_t' }))?.capture,
		).toEqual({ name: 'verification_token', value: 'secret_t' })
	})

	it('reads the body once however many handshakes look at it', () => {
		const parse = vi.spyOn(JSON, 'parse')
		const configs: HandshakeConfig[] = [
			{ type: 'slack' },
			{ type: 'zoom', secretToken: 'k' },
			{ type: 'twitch' },
			{ type: 'monday' },
			{ type: 'notion' },
			{ type: 'aws-sns', topicArns: ['arn:aws:sns:us-west-2:123456789012:T'] },
		]
		expect(
			findHandshake(
				configs,
				request(
					'POST',
					'',
					{
						'content-type': 'application/json',
						'x-amz-sns-message-type': 'SubscriptionConfirmation',
					},
					{ not: 'a handshake' },
				),
			),
		).toBeNull()
		expect(parse).toHaveBeenCalledTimes(1)
	})

	it('does no crypto until the answer is asked for', async () => {
		const sign = vi.spyOn(crypto.subtle, 'sign')
		const digest = vi.spyOn(crypto.subtle, 'digest')
		const zoom = findHandshake(
			[{ type: 'zoom', secretToken: 'k' }],
			post('', { event: 'endpoint.url_validation', payload: { plainToken: 'p' } }),
		)
		const meta = findHandshake(
			[{ type: 'meta', verifyToken: 'v' }],
			get('hub.mode=subscribe&hub.challenge=c&hub.verify_token=v'),
		)
		expect(sign).not.toHaveBeenCalled()
		expect(digest).not.toHaveBeenCalled()
		await zoom?.answer()
		expect(sign).toHaveBeenCalledTimes(1)
		await meta?.answer()
		expect(digest).toHaveBeenCalled()
	})

	it('imports an HMAC key once per config object, not per request', async () => {
		const importKey = vi.spyOn(crypto.subtle, 'importKey')
		const config: HandshakeConfig = { type: 'twitter', consumerSecret: 'k' }
		const answers = await Promise.all(
			['a', 'b', 'c', 'd'].map((t) => findHandshake([config], get(`crc_token=${t}`))?.answer()),
		)
		expect(answers.every((r) => r?.status === 200)).toBe(true)
		expect(importKey).toHaveBeenCalledTimes(1)

		// A changed config is a new object: its key is imported afresh.
		await findHandshake([{ ...config }], get('crc_token=a'))?.answer()
		expect(importKey).toHaveBeenCalledTimes(2)
	})
})

describe('matchHandshake', () => {
	it('returns the built answer and whether authentication must come first', async () => {
		const result = await matchHandshake([{ type: 'dropbox' }], get('challenge=abc'))
		expect(result?.signedByProvider).toBe(false)
		await expectEcho(result?.response as Response, 'abc')
		expect(await matchHandshake([{ type: 'dropbox' }], get('nothing=here'))).toBeNull()
	})

	it('passes the capture along with the answer', async () => {
		const result = await matchHandshake(
			[{ type: 'asana' }],
			request('POST', '', { 'x-hook-secret': 'hook-secret' }),
		)
		expect(result?.response.headers.get('x-hook-secret')).toBe('hook-secret')
		expect(result?.capture).toEqual({ name: 'X-Hook-Secret', value: 'hook-secret' })
	})
})

describe('handshakeRequestFrom', () => {
	it('carries the method, URL, headers, content type and the bytes the route already read', async () => {
		const request = new Request('https://gateway.test/trigger/x?validationToken=a%2Bb', {
			method: 'POST',
			headers: { 'content-type': 'text/plain; charset=utf-8' },
			body: 'ignored',
		})
		const bytes = new Uint8Array(0)
		const view = handshakeRequestFrom(request, bytes)
		expect(view).toMatchObject({ method: 'POST', contentType: 'text/plain; charset=utf-8' })
		expect(view.rawBody).toBe(bytes)
		const match = findHandshake([{ type: 'microsoft-graph' }], view)
		await expectEcho(await (match?.answer() as Promise<Response>), 'a+b')
	})
})
