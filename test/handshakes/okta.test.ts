import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectJson, request, SCRIPT } from './support'

const configs = [{ type: 'okta' as const }]

// The one-time verification request Okta documents at
// https://support.okta.com/help/s/article/Unable-to-verify-event-hook-Hook-hook-name-execution-failed
const CHALLENGE = 'Me_rShK8JHsTnbyYrWXCEoMGbM_zsZ6k0hLPZ_Pg'
const DOCUMENTED = {
	'User-Agent': 'Okta-Integrations',
	Accept: 'application/json',
	'X-Okta-Request-Id': 'XOZfPkReFFZ10KWyGkzAMwAAADA',
	'X-Okta-Verification-Challenge': CHALLENGE,
	'x-any-key': 'my-header-value',
	Authorization: 'my-shared-secret',
}

describe('okta event hook one-time verification', () => {
	it('answers the documented GET with {"verification": challenge}, after authentication', async () => {
		const match = findHandshake(configs, request('GET', '', DOCUMENTED))
		expect(match).toMatchObject({ type: 'okta', signedByProvider: true })
		await expectJson(await answerOf(match), { verification: CHALLENGE })
	})

	it('returns a <script> challenge inside JSON, never as HTML', async () => {
		const match = findHandshake(
			configs,
			request('GET', '', { ...DOCUMENTED, 'X-Okta-Verification-Challenge': SCRIPT }),
		)
		await expectJson(await answerOf(match), { verification: SCRIPT })
	})

	it('leaves event deliveries (POST), GETs without the header and an empty header alone', () => {
		const event = request(
			'POST',
			'',
			{ ...DOCUMENTED, 'content-type': 'application/json' },
			{ eventType: 'com.okta.event_hook', data: { events: [] } },
		)
		expect(findHandshake(configs, event)).toBeNull()
		const { 'X-Okta-Verification-Challenge': _, ...plain } = DOCUMENTED
		expect(findHandshake(configs, request('GET', '', plain))).toBeNull()
		expect(
			findHandshake(configs, request('GET', '', { ...plain, 'X-Okta-Verification-Challenge': '' })),
		).toBeNull()
		expect(findHandshake(configs, request('GET', `challenge=${CHALLENGE}`, plain))).toBeNull()
	})
})
