import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectJson, get, post, SCRIPT } from './support'

const configs = [{ type: 'adobe-io' as const }]

describe('adobe-io challenge request', () => {
	it('answers the documented GET ?challenge= with {"challenge": C} as JSON, before authentication', async () => {
		// https://developer.adobe.com/events/docs/guides/#the-challenge-request
		const match = findHandshake(configs, get('challenge=8ec8d794-e0ab-42df-9017-e3dada8e84f7'))
		expect(match).toMatchObject({ type: 'adobe-io', signedByProvider: false })
		await expectJson(await answerOf(match), {
			challenge: '8ec8d794-e0ab-42df-9017-e3dada8e84f7',
		})
	})

	it('returns a <script> challenge inside JSON, never as HTML', async () => {
		const match = findHandshake(configs, get(`challenge=${encodeURIComponent(SCRIPT)}`))
		await expectJson(await answerOf(match), { challenge: SCRIPT })
	})

	it('leaves event POSTs and GETs without a challenge alone', () => {
		const event = {
			event_id: '82235bac-2b81-4e70-90b5-2bd1f04b5c7b',
			event: { '@type': 'xdmCreated', 'xdmEventEnvelope:objectType': 'xdmAsset' },
		}
		expect(findHandshake(configs, post('challenge=abc', event))).toBeNull()
		expect(findHandshake(configs, get(''))).toBeNull()
		expect(findHandshake(configs, get('challenge='))).toBeNull()
	})
})
