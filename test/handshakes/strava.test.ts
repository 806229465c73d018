import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectJson, expectRefusal, get, post, SCRIPT } from './support'

// The validation request Strava documents at https://developers.strava.com/docs/webhooks/
const configs = [{ type: 'strava' as const, verifyToken: 'STRAVA' }]
const DOCUMENTED =
	'hub.verify_token=STRAVA&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.mode=subscribe'

describe('strava subscription validation', () => {
	it('answers the documented GET with {"hub.challenge": C} as JSON, before authentication', async () => {
		const match = findHandshake(configs, get(DOCUMENTED))
		expect(match).toMatchObject({ type: 'strava', signedByProvider: false })
		await expectJson(await answerOf(match), {
			'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3',
		})
	})

	it('returns a <script> challenge inside JSON, never as HTML', async () => {
		const match = findHandshake(
			configs,
			get(`hub.verify_token=STRAVA&hub.challenge=${encodeURIComponent(SCRIPT)}&hub.mode=subscribe`),
		)
		await expectJson(await answerOf(match), { 'hub.challenge': SCRIPT })
	})

	it('refuses a wrong or missing verify token with 403, echoing nothing', async () => {
		for (const query of [
			'hub.verify_token=STRAVa&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.mode=subscribe',
			'hub.verify_token=&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.mode=subscribe',
			'hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.mode=subscribe',
		]) {
			const response = await answerOf(findHandshake(configs, get(query)))
			await expectRefusal(response, 403, ['15f7d1a91c1f40f8a748fd134752feb3', 'STRAVA'])
		}
	})

	it('leaves event POSTs and requests without subscribe mode or a challenge alone', () => {
		const event = {
			aspect_type: 'update',
			event_time: 1516126040,
			object_id: 1360128428,
			object_type: 'activity',
			owner_id: 134815,
			subscription_id: 120475,
			updates: { title: 'Messy' },
		}
		expect(findHandshake(configs, post(DOCUMENTED, event))).toBeNull()
		expect(findHandshake(configs, get('hub.verify_token=STRAVA&hub.challenge=c'))).toBeNull()
		expect(findHandshake(configs, get('hub.verify_token=STRAVA&hub.mode=subscribe'))).toBeNull()
	})
})
