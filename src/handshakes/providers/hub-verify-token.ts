/**
 * The `hub.verify_token` GET that Meta and Strava share (WebSub's shape plus a token the
 * operator chose): `hub.mode=subscribe`, `hub.challenge=C`, `hub.verify_token=V`. V is
 * compared in constant time, a wrong one gets 403; the senders differ only in how C is
 * sent back.
 * @module
 */
import { timingSafeEqualStrings } from '../../lib/timing-safe'
import { verificationFailed } from '../respond'
import type { HandshakeConfig } from '../schema'
import type { HandshakeProvider } from '../types'

export function hubVerifyToken<C extends Extract<HandshakeConfig, { verifyToken: string }>>(
	answer: (challenge: string) => Response,
): HandshakeProvider<C> {
	return {
		signedByProvider: false,
		match(config, context) {
			if (context.method !== 'GET') return null
			if (context.query('hub.mode') !== 'subscribe') return null
			const challenge = context.query('hub.challenge')
			if (challenge === null) return null
			const given = context.query('hub.verify_token') ?? ''
			return async () =>
				(await timingSafeEqualStrings(given, config.verifyToken))
					? answer(challenge)
					: verificationFailed()
		},
	}
}
