import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectEcho, request, SCRIPT } from './support'

const configs = [{ type: 'twitch' as const }]

// The verification request Twitch documents at
// https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#responding-to-a-challenge-request
const DOCUMENTED = {
	challenge: 'pogchamp-kappa-360noscope-vohiyo',
	subscription: {
		id: 'f1c2a387-161a-49f9-a165-0f21d7a4e1c4',
		status: 'webhook_callback_verification_pending',
		type: 'channel.follow',
		version: '1',
		cost: 1,
		condition: { broadcaster_user_id: '12826' },
		transport: { method: 'webhook', callback: 'https://example.com/webhooks/callback' },
		created_at: '2019-11-16T10:11:12.634234626Z',
	},
}

const HEADERS = {
	'content-type': 'application/json',
	'Twitch-Eventsub-Message-Id': 'e76c6bd4-55c9-4987-8304-da1588d8988b',
	'Twitch-Eventsub-Message-Retry': '0',
	'Twitch-Eventsub-Message-Type': 'webhook_callback_verification',
	'Twitch-Eventsub-Message-Signature': `sha256=${'0'.repeat(64)}`,
	'Twitch-Eventsub-Message-Timestamp': '2019-11-16T10:11:12.634234626Z',
	'Twitch-Eventsub-Subscription-Type': 'channel.follow',
	'Twitch-Eventsub-Subscription-Version': '1',
}

describe('twitch EventSub webhook_callback_verification', () => {
	it('answers the documented request with the raw challenge as text/plain, after authentication', async () => {
		const match = findHandshake(configs, request('POST', '', HEADERS, DOCUMENTED))
		expect(match).toMatchObject({ type: 'twitch', signedByProvider: true })
		expect(match?.capture).toBeUndefined()
		await expectEcho(await answerOf(match), 'pogchamp-kappa-360noscope-vohiyo')
	})

	it('echoes a <script> challenge as inert plain text', async () => {
		const match = findHandshake(
			configs,
			request('POST', '', HEADERS, { ...DOCUMENTED, challenge: SCRIPT }),
		)
		await expectEcho(await answerOf(match), SCRIPT)
	})

	it('leaves notifications and revocations alone, even with a challenge field', () => {
		for (const type of ['notification', 'revocation']) {
			const headers = { ...HEADERS, 'Twitch-Eventsub-Message-Type': type }
			expect(findHandshake(configs, request('POST', '', headers, DOCUMENTED))).toBeNull()
		}
	})

	it('is not a handshake without the message-type header, or without a string challenge', () => {
		const { 'Twitch-Eventsub-Message-Type': _, ...unlabelled } = HEADERS
		expect(findHandshake(configs, request('POST', '', unlabelled, DOCUMENTED))).toBeNull()
		const { challenge: __, ...noChallenge } = DOCUMENTED
		expect(findHandshake(configs, request('POST', '', HEADERS, noChallenge))).toBeNull()
		expect(
			findHandshake(configs, request('POST', '', HEADERS, { ...DOCUMENTED, challenge: 42 })),
		).toBeNull()
		expect(findHandshake(configs, request('GET', 'challenge=x', HEADERS))).toBeNull()
	})
})
