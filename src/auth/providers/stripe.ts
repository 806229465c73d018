/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]` where each v1 is
 * HMAC-SHA256(endpoint secret, `${t}.${body}`). Several v1 entries appear while a secret
 * is being rolled; any one matching passes. Other schemes (v0) are ignored.
 * @see https://docs.stripe.com/webhooks#verify-manually
 */
import { concatBytes, encodeSignature, hexToBytes } from '../encoding'
import { jsonStringField } from '../json-field'
import type { HmacScheme } from '../scheme'
import { parseDigits, unixSeconds, withinTolerance } from '../timestamp'
import { keyValueItems } from './signature-header'

export const stripe: HmacScheme = {
	async parse(request, { toleranceSeconds }) {
		const header = request.headers.get('stripe-signature')
		if (header === null) return null
		const items = keyValueItems(header, ',')
		const timestamps = items.filter(([k]) => k === 't').map(([, v]) => v)
		if (timestamps.length !== 1) return null
		const t = parseDigits(timestamps[0])
		if (t === null || !withinTolerance(t * 1000, request.now, toleranceSeconds)) return null
		const signatures = items
			.filter(([k]) => k === 'v1')
			.map(([, v]) => hexToBytes(v))
			.filter((s): s is Uint8Array => s !== null)
		return {
			hash: 'SHA-256',
			messages: [concatBytes(`${timestamps[0]}.`, request.rawBody)],
			signatures,
		}
	},
	// The event id: Stripe's own identifier, identical across retries of an event.
	deliveryId: (request) => jsonStringField(request.rawBody, 'id'),
	async sign(input, mac) {
		const t = String(unixSeconds(input.now))
		const v1 = await mac('SHA-256', concatBytes(`${t}.`, input.body))
		return { 'Stripe-Signature': `t=${t},v1=${encodeSignature(v1, 'hex')}` }
	},
}
