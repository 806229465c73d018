import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { expectEcho, get, post, SCRIPT } from './support'

const configs = [{ type: 'slack' as const }]

// The payload Slack documents at https://api.slack.com/events/url_verification
const DOCUMENTED = {
	token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
	challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
	type: 'url_verification',
}

describe('slack url_verification', () => {
	it('answers the documented request with the challenge as text/plain, after authentication', async () => {
		const match = findHandshake(configs, post('', DOCUMENTED))
		expect(match).toMatchObject({ type: 'slack', signedByProvider: true })
		await expectEcho(
			await (match?.answer() as Promise<Response>),
			'3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
		)
	})

	it('accepts a charset parameter on the JSON content type', () => {
		expect(
			findHandshake(configs, post('', DOCUMENTED, 'application/json; charset=utf-8')),
		).not.toBe(null)
	})

	it('echoes a <script> challenge as inert plain text', async () => {
		const match = findHandshake(configs, post('', { ...DOCUMENTED, challenge: SCRIPT }))
		await expectEcho(await (match?.answer() as Promise<Response>), SCRIPT)
	})

	it('leaves ordinary Slack deliveries alone', () => {
		const event = {
			token: 'XXYYZZ',
			team_id: 'T123ABC456',
			type: 'event_callback',
			event: { type: 'app_mention', text: 'challenge' },
			challenge: 'not-a-handshake',
		}
		expect(findHandshake(configs, post('', event))).toBeNull()
	})

	it('is not a handshake without a string challenge, as a GET, as a form, or malformed', () => {
		expect(findHandshake(configs, post('', { type: 'url_verification' }))).toBeNull()
		expect(findHandshake(configs, post('', { type: 'url_verification', challenge: 5 }))).toBeNull()
		expect(findHandshake(configs, post('', { type: 'url_verification', challenge: '' }))).toBeNull()
		expect(findHandshake(configs, post('', [DOCUMENTED]))).toBeNull()
		expect(findHandshake(configs, get('type=url_verification&challenge=x'))).toBeNull()
		expect(
			findHandshake(
				configs,
				post('', 'type=url_verification&challenge=x', 'application/x-www-form-urlencoded'),
			),
		).toBeNull()
		expect(findHandshake(configs, post('', '{"type":"url_verification",'))).toBeNull()
	})

	it('does not parse large bodies: those are deliveries, not handshakes', () => {
		const big = { ...DOCUMENTED, padding: 'x'.repeat(20_000) }
		expect(findHandshake(configs, post('', big))).toBeNull()
	})
})
