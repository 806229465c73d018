/**
 * Square: `x-square-hmacsha256-signature: <base64 HMAC-SHA256(signature key,
 * notification URL + body)>`, the notification URL being the one the subscription posts
 * to (here the public trigger URL, with `publicBaseUrl` behind a proxy).
 * @see https://developer.squareup.com/docs/webhooks/step3validate
 * @see https://github.com/square/square-nodejs-sdk/blob/master/tests/integration/webhooks.test.ts
 */
import { base64ToBytes, concatBytes, encodeSignature } from '../encoding'
import { jsonStringField } from '../json-field'
import { publicUrl } from '../public-url'
import type { HmacScheme } from '../scheme'

export const square: HmacScheme = {
	async parse(request, { publicBaseUrl }) {
		const header = request.headers.get('x-square-hmacsha256-signature')
		const signature = header === null ? null : base64ToBytes(header.trim())
		if (!signature) return null
		const url = publicUrl(request.url, publicBaseUrl)
		return {
			hash: 'SHA-256',
			messages: [concatBytes(url, request.rawBody)],
			signatures: [signature],
		}
	},
	// Square's event_id stays the same across retries of a notification.
	deliveryId: (request) => jsonStringField(request.rawBody, 'event_id'),
	async sign(input, mac, { publicBaseUrl }) {
		const url = publicUrl(input.url, publicBaseUrl)
		const signature = await mac('SHA-256', concatBytes(url, input.body))
		return { 'x-square-hmacsha256-signature': encodeSignature(signature, 'base64') }
	},
}
