import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectEmpty, post } from './support'

const configs = [{ type: 'notion' as const }]

// The verification payload Notion documents at
// https://developers.notion.com/reference/webhooks#step-2-verifying-the-subscription
const TOKEN = 'secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl'

describe('notion subscription verification', () => {
	it('answers the documented POST with a bare 200, before authentication', async () => {
		const match = findHandshake(configs, post('', { verification_token: TOKEN }))
		expect(match).toMatchObject({ type: 'notion', signedByProvider: false })
		const response = await answerOf(match)
		await expectEmpty(response)
	})

	it('hands the token over as a capture (it is the signing secret), never in the answer', async () => {
		const match = findHandshake(configs, post('', { verification_token: TOKEN }))
		expect(match?.capture).toEqual({ name: 'verification_token', value: TOKEN })
		const response = await answerOf(match)
		expect([...response.headers].join()).not.toContain(TOKEN)
	})

	it('leaves signed events alone, even one carrying a verification_token field', () => {
		const event = {
			id: '367cba44-b6f3-4c92-81e7-6a2e9659efd4',
			timestamp: '2024-12-05T23:55:34.285Z',
			workspace_id: '13950b26-c203-4f3b-b97d-93ec06319565',
			subscription_id: '29d75c0d-5546-4414-8459-7b7a92f1fc4b',
			integration_id: '0ef2e755-4912-8096-91c1-00376a88a5ca',
			type: 'page.created',
			entity: { id: '153104cd-477e-809d-8dc4-ff2d96ae3090', type: 'page' },
		}
		expect(findHandshake(configs, post('', event))).toBeNull()
		expect(findHandshake(configs, post('', { ...event, verification_token: TOKEN }))).toBeNull()
		expect(findHandshake(configs, post('', { verification_token: '' }))).toBeNull()
		expect(findHandshake(configs, post('', { verification_token: ['x'] }))).toBeNull()
	})
})
