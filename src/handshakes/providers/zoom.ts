/**
 * Zoom webhook endpoint URL validation (challenge-response check).
 *
 * Zoom POSTs `{"event":"endpoint.url_validation","payload":{"plainToken":P},"event_ts":..}`,
 * signed with `x-zm-signature` like every event, when the URL is validated and every
 * 72 hours after. The app answers within 3 seconds with 200 (or 204) and the JSON
 * `{"plainToken":P,"encryptedToken":hex(HMAC-SHA256(secretToken, P))}`.
 *
 * Authenticating first is essential here, not a formality: the answer is an HMAC of a
 * sender-chosen string under the same secret that signs Zoom's events
 * (`v0:{timestamp}:{body}`), so answering unauthenticated requests would sign forgeries.
 * @see https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint
 * @module
 */
import { bytesToHex } from '../../lib/encoding'
import { isObject, stringField } from '../context'
import { hmacSha256 } from '../hmac'
import { jsonAnswer } from '../respond'
import type { HandshakeProvider } from '../types'

export const zoom: HandshakeProvider<{ type: 'zoom'; secretToken: string }> = {
	signedByProvider: true,
	match(config, context) {
		const body = context.jsonObject()
		if (body?.event !== 'endpoint.url_validation') return null
		const payload = isObject(body.payload) ? body.payload : null
		const plainToken = stringField(payload, 'plainToken')
		if (plainToken === null) return null
		return async () =>
			jsonAnswer({
				plainToken,
				encryptedToken: bytesToHex(await hmacSha256(config, config.secretToken, plainToken)),
			})
	},
}
