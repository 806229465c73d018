import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { expectEcho, get, post, SCRIPT } from './support'

const configs = [{ type: 'microsoft-graph' as const }]

describe('microsoft-graph notification endpoint validation', () => {
	it('answers POST ?validationToken= with the URL-decoded token as text/plain, before authentication', async () => {
		// Graph form-encodes the opaque token ('+' for spaces, %3a for ':'); the answer is the
		// decoded token. Request shape: learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
		const encoded =
			'Validation%3a+Testing+client+application+reachability+for+subscription+Request-Id%3a+522a8e7e-096a-494c-aaf1-ac0dcfca45b7'
		const match = findHandshake(
			configs,
			post(`validationToken=${encoded}`, '', 'text/plain; charset=utf-8'),
		)
		expect(match).toMatchObject({ type: 'microsoft-graph', signedByProvider: false })
		await expectEcho(
			await (match?.answer() as Promise<Response>),
			'Validation: Testing client application reachability for subscription Request-Id: 522a8e7e-096a-494c-aaf1-ac0dcfca45b7',
		)
	})

	it('decodes percent-encoded UTF-8', async () => {
		const match = findHandshake(configs, post('validationToken=caf%C3%A9%20%2B%26', ''))
		await expectEcho(await (match?.answer() as Promise<Response>), 'café +&')
	})

	it('echoes a <script> token as inert plain text', async () => {
		const match = findHandshake(configs, post(`validationToken=${encodeURIComponent(SCRIPT)}`, ''))
		await expectEcho(await (match?.answer() as Promise<Response>), SCRIPT)
	})

	it('is not a handshake without the token, with an empty one, or as a GET', () => {
		expect(findHandshake(configs, post('', { value: [] }))).toBeNull()
		expect(findHandshake(configs, post('validationToken=', ''))).toBeNull()
		expect(findHandshake(configs, post('validationtoken=abc', ''))).toBeNull()
		expect(findHandshake(configs, get('validationToken=abc'))).toBeNull()
	})
})
