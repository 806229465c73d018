import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectJson, post, request } from './support'

const configs = [{ type: 'monday' as const }]

// The challenge monday.com documents at
// https://developer.monday.com/api-reference/docs/webhooks#url-verification
const CHALLENGE = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'

describe('monday.com URL verification', () => {
	it('answers the documented challenge with an identical JSON body, before authentication', async () => {
		const match = findHandshake(configs, post('', { challenge: CHALLENGE }))
		expect(match).toMatchObject({ type: 'monday', signedByProvider: false })
		await expectJson(await answerOf(match), { challenge: CHALLENGE })
	})

	it('leaves board events alone, even one carrying a challenge field', () => {
		const event = {
			event: {
				app: 'monday',
				type: 'create_pulse',
				boardId: 224535,
				pulseId: 983678,
				pulseName: 'A new task',
				userId: 103892,
			},
		}
		expect(findHandshake(configs, post('', event))).toBeNull()
		expect(findHandshake(configs, post('', { ...event, challenge: CHALLENGE }))).toBeNull()
	})

	it('is not a handshake with a non-string or empty challenge, as a form, or as a GET', () => {
		expect(findHandshake(configs, post('', { challenge: 7 }))).toBeNull()
		expect(findHandshake(configs, post('', { challenge: '' }))).toBeNull()
		expect(
			findHandshake(
				configs,
				post('', `challenge=${CHALLENGE}`, 'application/x-www-form-urlencoded'),
			),
		).toBeNull()
		expect(findHandshake(configs, request('GET', `challenge=${CHALLENGE}`))).toBeNull()
	})
})
