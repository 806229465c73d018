/**
 * Twitch EventSub webhook callback verification.
 *
 * After a subscription is created Twitch POSTs a message whose
 * `Twitch-Eventsub-Message-Type` header is `webhook_callback_verification` and whose JSON
 * body carries `challenge` next to the `subscription`. Twitch signs it like every message
 * (`Twitch-Eventsub-Message-Signature`), so it is answered only after the endpoint's
 * authentication passes: 200, `text/plain`, the raw challenge as the whole body.
 * @see https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#responding-to-a-challenge-request
 * @module
 */
import { stringField } from '../context'
import { echoText } from '../respond'
import type { HandshakeProvider } from '../types'

export const twitch: HandshakeProvider<{ type: 'twitch' }> = {
	signedByProvider: true,
	match(_config, context) {
		if (context.header('Twitch-Eventsub-Message-Type') !== 'webhook_callback_verification') {
			return null
		}
		const challenge = stringField(context.jsonObject(), 'challenge')
		if (challenge === null) return null
		return async () => echoText(challenge)
	},
}
