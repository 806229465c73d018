/**
 * X (Twitter) webhook Challenge-Response Check (CRC).
 *
 * X GETs `?crc_token=T` on registration, about hourly after, and on demand. The app
 * answers 200 with the JSON `{"response_token":"sha256=" + base64(HMAC-SHA256(key, T))}`,
 * the key being the app's Consumer Secret (API secret key).
 *
 * X cannot sign the CRC, so it is answered before authentication, as the SPEC says. Its
 * answer uses the same construction and key as the `x-twitter-webhooks-signature` on X's
 * deliveries; that signing oracle is part of X's design, shared by every CRC responder.
 * @see https://docs.x.com/x-api/webhooks/quickstart
 * @see https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/securing-webhooks
 * @module
 */
import { bytesToBase64 } from '../../lib/encoding'
import { hmacSha256 } from '../hmac'
import { jsonAnswer } from '../respond'
import type { HandshakeProvider } from '../types'

export const twitter: HandshakeProvider<{ type: 'twitter'; consumerSecret: string }> = {
	signedByProvider: false,
	match(config, context) {
		if (context.method !== 'GET') return null
		const token = context.query('crc_token')
		if (token === null) return null
		return async () => {
			const mac = await hmacSha256(config, config.consumerSecret, token)
			return jsonAnswer({ response_token: `sha256=${bytesToBase64(mac)}` })
		}
	},
}
