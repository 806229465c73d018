/**
 * Meta (Facebook, Instagram, WhatsApp, Messenger) webhook verification requests.
 *
 * Meta GETs `?hub.mode=subscribe&hub.challenge=C&hub.verify_token=V`, V being the Verify
 * Token typed into the App Dashboard. The app checks V and answers with C; Meta's sample
 * app answers a wrong token with 403 Forbidden. V is compared in constant time: it is the
 * only thing standing between a stranger and a confirmed subscription.
 * @see https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 * @see https://developers.facebook.com/docs/messenger-platform/webhooks#verification-requests
 * @module
 */
import { timingSafeEqualStrings } from '../../lib/timing-safe'
import { echoText, verificationFailed } from '../respond'
import type { HandshakeProvider } from '../types'

export const meta: HandshakeProvider<{ type: 'meta'; verifyToken: string }> = {
	signedByProvider: false,
	match(config, context) {
		if (context.method !== 'GET') return null
		if (context.query('hub.mode') !== 'subscribe') return null
		const challenge = context.query('hub.challenge')
		if (challenge === null) return null
		const given = context.query('hub.verify_token') ?? ''
		return async () =>
			(await timingSafeEqualStrings(given, config.verifyToken))
				? echoText(challenge)
				: verificationFailed()
	},
}
