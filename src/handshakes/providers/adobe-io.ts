/**
 * Adobe I/O Events webhook challenge (synchronous validation).
 *
 * Registering a webhook makes Adobe GET it with a `challenge` query parameter; the
 * webhook answers 200 with the value, either as the raw body or as the JSON
 * `{"challenge": C}` with `Content-Type: application/json`. This answers with the JSON
 * form, whose content type leaves nothing to guess (the `dropbox` handshake answers the
 * same request with the raw form, as text/plain).
 * @see https://developer.adobe.com/events/docs/guides/#the-challenge-request
 * @module
 */
import { jsonAnswer } from '../respond'
import type { HandshakeProvider } from '../types'

export const adobeIo: HandshakeProvider<{ type: 'adobe-io' }> = {
	signedByProvider: false,
	match(_config, context) {
		if (context.method !== 'GET') return null
		const challenge = context.query('challenge')
		if (challenge === null) return null
		return async () => jsonAnswer({ challenge })
	},
}
