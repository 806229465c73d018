import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { expectEcho, get, post, SCRIPT } from './support'

const configs = [{ type: 'dropbox' as const }]

describe('dropbox verification request', () => {
	it('answers the documented GET ?challenge=abc123 with the challenge, text/plain and nosniff', async () => {
		// https://www.dropbox.com/developers/reference/webhooks
		const match = findHandshake(configs, get('challenge=abc123'))
		expect(match).toMatchObject({ type: 'dropbox', signedByProvider: false })
		await expectEcho(await (match?.answer() as Promise<Response>), 'abc123')
	})

	it('echoes a <script> challenge as inert plain text', async () => {
		const match = findHandshake(configs, get(`challenge=${encodeURIComponent(SCRIPT)}`))
		await expectEcho(await (match?.answer() as Promise<Response>), SCRIPT)
	})

	it('is not a handshake without a challenge, with an empty one, or as a POST (a notification)', () => {
		expect(findHandshake(configs, get(''))).toBeNull()
		expect(findHandshake(configs, get('challenge='))).toBeNull()
		expect(findHandshake(configs, get('Challenge=abc'))).toBeNull()
		const notification = { list_folder: { accounts: ['dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc'] } }
		expect(findHandshake(configs, post('challenge=abc', notification))).toBeNull()
	})
})
