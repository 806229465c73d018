/**
 * Dropbox webhook verification request.
 *
 * Dropbox GETs `?challenge=C` when a webhook URI is added; the app echoes C as the body
 * within 10 seconds. Dropbox itself asks for `Content-Type: text/plain` and
 * `X-Content-Type-Options: nosniff` so the echo cannot become a reflected XSS.
 * @see https://www.dropbox.com/developers/reference/webhooks
 * @module
 */
import { echoText } from '../respond'
import type { HandshakeProvider } from '../types'

export const dropbox: HandshakeProvider<{ type: 'dropbox' }> = {
	signedByProvider: false,
	match(_config, context) {
		if (context.method !== 'GET') return null
		const challenge = context.query('challenge')
		if (challenge === null) return null
		return async () => echoText(challenge)
	},
}
