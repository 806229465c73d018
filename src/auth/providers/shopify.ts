/**
 * Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256(app client secret, body)>`; the
 * delivery is identified by `X-Shopify-Webhook-Id`.
 * @see https://shopify.dev/docs/apps/build/webhooks/subscribe/https
 */
import { base64ToBytes, encodeSignature } from '../encoding'
import type { HmacScheme } from '../scheme'

export const shopify: HmacScheme = {
	async parse(request) {
		const header = request.headers.get('x-shopify-hmac-sha256')
		const signature = header === null ? null : base64ToBytes(header.trim())
		return signature
			? { hash: 'SHA-256', messages: [request.rawBody], signatures: [signature] }
			: null
	},
	deliveryId: (request) => request.headers.get('x-shopify-webhook-id') ?? undefined,
	async sign(input, mac) {
		return {
			'X-Shopify-Hmac-Sha256': encodeSignature(await mac('SHA-256', input.body), 'base64'),
		}
	},
}
