/**
 * Linear: `Linear-Signature: <hex HMAC-SHA256(signing secret, body)>`. Replays are bounded
 * by `webhookTimestamp` (ms) in the signed JSON body, or, for a body without it, the
 * `Linear-Timestamp` header, as Linear's SDK reads them; Linear allows one minute.
 * @see https://linear.app/developers/webhooks#securing-webhooks
 * @see https://github.com/linear/linear/blob/master/packages/sdk/src/webhooks/client.ts
 */
import { encodeSignature } from '../encoding'
import { jsonIdField } from '../json-field'
import { type HmacScheme, inputHeader, MALFORMED, STALE, unreadable } from '../scheme'
import { parseDigits, withinTolerance } from '../timestamp'
import type { SignedRequest } from '../types'
import { prefixedSignature } from './signature-header'

function webhookTimestamp(request: SignedRequest): number | null {
	const field = jsonIdField(request.rawBody, 'webhookTimestamp')
	return parseDigits(field ?? request.headers.get('linear-timestamp'))
}

export const linear: HmacScheme = {
	toleranceSeconds: 60,
	async parse(request, { toleranceSeconds }) {
		const value = request.headers.get('linear-signature')
		const signature = prefixedSignature(value, '', 'hex')
		if (!signature) return unreadable(value)
		const t = webhookTimestamp(request)
		if (t === null) return MALFORMED
		if (!withinTolerance(t, request.now, toleranceSeconds)) return STALE
		return { hash: 'SHA-256', messages: [request.rawBody], signatures: [signature] }
	},
	deliveryId: (request) => request.headers.get('linear-delivery') ?? undefined,
	async sign(input, mac) {
		const headers: Record<string, string> = {
			'Linear-Signature': encodeSignature(await mac('SHA-256', input.body), 'hex'),
		}
		// The body's own webhookTimestamp, when it has one, is what Linear's receivers check.
		if (inputHeader(input, 'linear-timestamp') === undefined) {
			headers['Linear-Timestamp'] = String(Math.floor(input.now))
		}
		return headers
	},
}
