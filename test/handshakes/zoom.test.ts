import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { expectJson, get, hex, hmac, post, SCRIPT } from './support'

/**
 * Zoom's docs (https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint)
 * show a request and an encryptedToken but not the secret that produced it, so the
 * expected values here come from elsewhere: a constant computed with
 * `openssl dgst -sha256 -hmac`, RFC 4231's published HMAC-SHA256 test case 2, and a
 * crypto.subtle computation in the test itself.
 */
const DOCUMENTED = {
	payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
	event_ts: 1654503849680,
	event: 'endpoint.url_validation',
}

describe('zoom endpoint.url_validation', () => {
	it('answers the documented request with plainToken and hex HMAC-SHA256, after authentication', async () => {
		const match = findHandshake(
			[{ type: 'zoom', secretToken: 'zoom-secret-token' }],
			post('', DOCUMENTED),
		)
		expect(match).toMatchObject({ type: 'zoom', signedByProvider: true })
		await expectJson(await (match?.answer() as Promise<Response>), {
			plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
			// printf %s qgg8vlvZRS6UYooatFL8Aw | openssl dgst -sha256 -hmac zoom-secret-token
			encryptedToken: 'd9e0d764a78494688ba3f2d5c0ed4ca311394b4834d959759213424d2df961e3',
		})
	})

	it('matches RFC 4231 test case 2 (key "Jefe")', async () => {
		const plainToken = 'what do ya want for nothing?'
		const match = findHandshake(
			[{ type: 'zoom', secretToken: 'Jefe' }],
			post('', { event: 'endpoint.url_validation', payload: { plainToken } }),
		)
		await expectJson(await (match?.answer() as Promise<Response>), {
			plainToken,
			encryptedToken: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
		})
	})

	it('agrees with an independent crypto.subtle computation for other tokens and secrets', async () => {
		for (const [secret, plainToken] of [
			['s3cr3t', crypto.randomUUID()],
			['ünïcødé secret', 'tøken with spaces'],
		] as const) {
			const match = findHandshake(
				[{ type: 'zoom', secretToken: secret }],
				post('', { event: 'endpoint.url_validation', payload: { plainToken } }),
			)
			await expectJson(await (match?.answer() as Promise<Response>), {
				plainToken,
				encryptedToken: hex(await hmac(secret, plainToken)),
			})
		}
	})

	it('returns a <script> plainToken inside JSON with nosniff, never as HTML', async () => {
		const match = findHandshake(
			[{ type: 'zoom', secretToken: 'k' }],
			post('', { event: 'endpoint.url_validation', payload: { plainToken: SCRIPT } }),
		)
		const response = await (match?.answer() as Promise<Response>)
		expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
		expect(response.headers.get('x-content-type-options')).toBe('nosniff')
		expect(((await response.json()) as { plainToken: string }).plainToken).toBe(SCRIPT)
	})

	it('leaves other Zoom events and malformed validations alone', () => {
		const configs = [{ type: 'zoom' as const, secretToken: 'k' }]
		const started = { event: 'meeting.started', payload: { plainToken: 'x', object: { id: 1 } } }
		expect(findHandshake(configs, post('', started))).toBeNull()
		expect(findHandshake(configs, post('', { event: 'endpoint.url_validation' }))).toBeNull()
		expect(
			findHandshake(
				configs,
				post('', { event: 'endpoint.url_validation', payload: { plainToken: 7 } }),
			),
		).toBeNull()
		expect(
			findHandshake(configs, post('', { event: 'endpoint.url_validation', payload: 'plainToken' })),
		).toBeNull()
		expect(findHandshake(configs, get('event=endpoint.url_validation&plainToken=x'))).toBeNull()
	})
})
