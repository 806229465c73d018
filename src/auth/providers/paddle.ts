/**
 * Paddle Billing: `Paddle-Signature: ts=<unix seconds>;h1=<hex HMAC-SHA256(secret key,
 * ts + ":" + body)>`; several h1 entries may be present and any one matching passes.
 * @see https://developer.paddle.com/webhooks/signature-verification
 * @see https://github.com/PaddleHQ/paddle-node-sdk/blob/main/src/__tests__/notifications/webhooks-validator.node.test.ts
 */
import { concatBytes, encodeSignature, hexToBytes } from '../encoding'
import { jsonStringField } from '../json-field'
import type { HmacScheme } from '../scheme'
import { parseDigits, unixSeconds, withinTolerance } from '../timestamp'
import { keyValueItems } from './signature-header'

export const paddle: HmacScheme = {
	async parse(request, { toleranceSeconds }) {
		const header = request.headers.get('paddle-signature')
		if (header === null) return null
		const items = keyValueItems(header, ';')
		const timestamps = items.filter(([k]) => k === 'ts').map(([, v]) => v)
		if (timestamps.length !== 1) return null
		const ts = parseDigits(timestamps[0])
		if (ts === null || !withinTolerance(ts * 1000, request.now, toleranceSeconds)) return null
		const signatures = items
			.filter(([k]) => k === 'h1')
			.map(([, v]) => hexToBytes(v))
			.filter((s): s is Uint8Array => s !== null)
		return {
			hash: 'SHA-256',
			messages: [concatBytes(`${timestamps[0]}:`, request.rawBody)],
			signatures,
		}
	},
	// Paddle's event id, unchanged when the notification is retried.
	deliveryId: (request) => jsonStringField(request.rawBody, 'event_id'),
	async sign(input, mac) {
		const ts = String(unixSeconds(input.now))
		const h1 = await mac('SHA-256', concatBytes(`${ts}:`, input.body))
		return { 'Paddle-Signature': `ts=${ts};h1=${encodeSignature(h1, 'hex')}` }
	},
}
