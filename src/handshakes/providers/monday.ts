/**
 * monday.com webhook URL verification.
 *
 * When a webhook is added, monday.com POSTs a JSON body whose only field is a randomly
 * generated `challenge`; the app answers 200 with an identical JSON body. A board event
 * always comes wrapped in `{"event": ...}`, so a body with any other field is a delivery.
 * @see https://developer.monday.com/api-reference/docs/webhooks#url-verification
 * @module
 */
import { soleStringField } from '../context'
import { jsonAnswer } from '../respond'
import type { HandshakeProvider } from '../types'

export const monday: HandshakeProvider<{ type: 'monday' }> = {
	signedByProvider: false,
	match(_config, context) {
		const challenge = soleStringField(context.jsonObject(), 'challenge')
		if (challenge === null) return null
		return async () => jsonAnswer({ challenge })
	},
}
