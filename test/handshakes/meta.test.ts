import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { expectEcho, get, post, SCRIPT } from './support'

// The sample verification request Meta documents at
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
const configs = [{ type: 'meta' as const, verifyToken: 'meatyhamhock' }]
const DOCUMENTED = 'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock'

describe('meta verification request', () => {
	it('answers the documented request with hub.challenge as text/plain, before authentication', async () => {
		const match = findHandshake(configs, get(DOCUMENTED))
		expect(match).toMatchObject({ type: 'meta', signedByProvider: false })
		await expectEcho(await (match?.answer() as Promise<Response>), '1158201444')
	})

	it('refuses a wrong or missing verify token with 403, echoing nothing', async () => {
		for (const query of [
			'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhocK',
			'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=',
			'hub.mode=subscribe&hub.challenge=1158201444',
		]) {
			const match = findHandshake(configs, get(query))
			const response = await (match?.answer() as Promise<Response>)
			expect(response.status).toBe(403)
			expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
			const text = await response.text()
			expect(JSON.parse(text)).toEqual({ error: expect.any(String) })
			expect(text).not.toContain('1158201444')
			expect(text).not.toContain('meatyhamhock')
		}
	})

	it('decodes the query before comparing and echoing', async () => {
		const match = findHandshake(
			[{ type: 'meta', verifyToken: 'a token/with+symbols' }],
			get(
				`hub.mode=subscribe&hub.challenge=${encodeURIComponent(SCRIPT)}&hub.verify_token=a%20token%2Fwith%2Bsymbols`,
			),
		)
		await expectEcho(await (match?.answer() as Promise<Response>), SCRIPT)
	})

	it('is not a handshake without subscribe mode or a challenge, or as a POST', () => {
		expect(findHandshake(configs, get('hub.challenge=1&hub.verify_token=meatyhamhock'))).toBeNull()
		expect(
			findHandshake(
				configs,
				get('hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=meatyhamhock'),
			),
		).toBeNull()
		expect(
			findHandshake(configs, get('hub.mode=subscribe&hub.verify_token=meatyhamhock')),
		).toBeNull()
		expect(findHandshake(configs, get(''))).toBeNull()
		expect(findHandshake(configs, post(DOCUMENTED, { object: 'page', entry: [] }))).toBeNull()
	})
})
