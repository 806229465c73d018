import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectEmpty, request } from './support'

// The handshake Asana documents at https://developers.asana.com/reference/createwebhook
// ("Handshake sent to https://example.com/ POST /receive-webhook/7654").
const SECRET = 'b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81'
const handshake = () => request('POST', '', { 'X-Hook-Secret': SECRET })

describe.each(['asana', 'rest-hooks'] as const)('%s X-Hook-Secret handshake', (type) => {
	const configs = [{ type }]

	it('answers the documented POST with 200 and the same X-Hook-Secret header, before authentication', async () => {
		const match = findHandshake(configs, handshake())
		expect(match).toMatchObject({ type, signedByProvider: false })
		const response = await answerOf(match)
		expect(response.headers.get('x-hook-secret')).toBe(SECRET)
		await expectEmpty(response)
	})

	it('hands the secret over as a capture, for the operator to keep as the HMAC secret', () => {
		expect(findHandshake(configs, handshake())?.capture).toEqual({
			name: 'X-Hook-Secret',
			value: SECRET,
		})
	})

	it('leaves signed event deliveries, GETs and an empty secret alone', () => {
		const event = request(
			'POST',
			'',
			{ 'content-type': 'application/json', 'X-Hook-Signature': 'a'.repeat(64) },
			{ events: [{ action: 'changed', resource: { gid: '1', resource_type: 'task' } }] },
		)
		expect(findHandshake(configs, event)).toBeNull()
		expect(findHandshake(configs, request('GET', '', { 'X-Hook-Secret': SECRET }))).toBeNull()
		expect(findHandshake(configs, request('POST', '', { 'X-Hook-Secret': '' }))).toBeNull()
		expect(findHandshake(configs, request('POST', '', { 'X-Hook-Secrets': SECRET }))).toBeNull()
	})
})
