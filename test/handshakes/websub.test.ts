import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectEcho, expectRefusal, get, post, SCRIPT } from './support'

// W3C WebSub §5.3, https://www.w3.org/TR/websub/#hub-verifies-intent, with the topic a
// YouTube channel feed (YouTube's hub is pubsubhubbub.appspot.com).
const TOPIC = 'https://www.youtube.com/xml/feeds/videos.xml?channel_id=UCXuqSBlHAE6Xw-yeJA0Tunw'
const q = (params: Record<string, string>) => new URLSearchParams(params).toString()
const SUBSCRIBE = q({
	'hub.mode': 'subscribe',
	'hub.topic': TOPIC,
	'hub.challenge': '17414136281573523540',
	'hub.lease_seconds': '432000',
})

describe('websub verification of intent', () => {
	it('echoes hub.challenge as text/plain for a subscribe, before authentication', async () => {
		const match = findHandshake([{ type: 'websub' }], get(SUBSCRIBE))
		expect(match).toMatchObject({ type: 'websub', signedByProvider: false })
		await expectEcho(await answerOf(match), '17414136281573523540')
	})

	it('echoes an unsubscribe too (no lease), and a <script> challenge as inert text', async () => {
		const unsubscribe = q({
			'hub.mode': 'unsubscribe',
			'hub.topic': TOPIC,
			'hub.challenge': SCRIPT,
		})
		await expectEcho(await answerOf(findHandshake([{ type: 'websub' }], get(unsubscribe))), SCRIPT)
	})

	it('with topics configured, agrees only to those and answers any other topic 404', async () => {
		const configs = [{ type: 'websub' as const, topics: [TOPIC] }]
		await expectEcho(await answerOf(findHandshake(configs, get(SUBSCRIBE))), '17414136281573523540')
		const other = q({
			'hub.mode': 'subscribe',
			'hub.topic': 'https://attacker.example/feed',
			'hub.challenge': 'c-123',
			'hub.lease_seconds': '432000',
		})
		await expectRefusal(await answerOf(findHandshake(configs, get(other))), 404, ['c-123'])
	})

	it('is not a handshake without a topic or challenge, for other modes, or as a POST (a content delivery)', () => {
		const configs = [{ type: 'websub' as const }]
		expect(
			findHandshake(configs, get(q({ 'hub.mode': 'subscribe', 'hub.challenge': 'c' }))),
		).toBeNull()
		expect(
			findHandshake(configs, get(q({ 'hub.mode': 'subscribe', 'hub.topic': TOPIC }))),
		).toBeNull()
		expect(
			findHandshake(
				configs,
				get(q({ 'hub.mode': 'denied', 'hub.topic': TOPIC, 'hub.reason': 'spam' })),
			),
		).toBeNull()
		expect(
			findHandshake(
				configs,
				get(q({ 'hub.mode': 'publish', 'hub.topic': TOPIC, 'hub.challenge': 'c' })),
			),
		).toBeNull()
		expect(findHandshake(configs, post(SUBSCRIBE, '<feed/>', 'application/atom+xml'))).toBeNull()
	})
})
