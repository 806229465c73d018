/**
 * Strava webhook subscription validation.
 *
 * Creating a push subscription makes Strava GET the callback with
 * `hub.mode=subscribe&hub.challenge=C&hub.verify_token=V`, V being the `verify_token`
 * given to the create call. The callback checks V and answers within two seconds with 200
 * and the JSON `{"hub.challenge": C}`. Strava's events are not signed, so this token is
 * the only check there is; it is compared in constant time and a wrong one gets 403.
 * @see https://developers.strava.com/docs/webhooks/
 * @module
 */
import { timingSafeEqualStrings } from '../../lib/timing-safe'
import { jsonAnswer, verificationFailed } from '../respond'
import type { HandshakeProvider } from '../types'

export const strava: HandshakeProvider<{ type: 'strava'; verifyToken: string }> = {
	signedByProvider: false,
	match(config, context) {
		if (context.method !== 'GET') return null
		if (context.query('hub.mode') !== 'subscribe') return null
		const challenge = context.query('hub.challenge')
		if (challenge === null) return null
		const given = context.query('hub.verify_token') ?? ''
		return async () =>
			(await timingSafeEqualStrings(given, config.verifyToken))
				? jsonAnswer({ 'hub.challenge': challenge })
				: verificationFailed()
	},
}
