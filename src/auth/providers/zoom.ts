/**
 * Zoom: `x-zm-signature: v0=<hex HMAC-SHA256(secret token, "v0:" + x-zm-request-timestamp
 * + ":" + body)>`.
 * @see https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 * @see https://github.com/zoom/webhook-sample/blob/master/index.js
 */
import { concatBytes, encodeSignature } from '../encoding'
import type { HmacScheme } from '../scheme'
import { parseDigits, unixSeconds, withinTolerance } from '../timestamp'
import { prefixedSignature } from './signature-header'

// Zoom calls the header a Unix timestamp without naming the unit. It is signed, so reading
// a 13-digit value as milliseconds (seconds reach that size only in the year 5138) cannot
// widen the window; it only keeps either unit from being rejected as "in the future".
const MILLISECONDS_FROM = 1e11

export const zoom: HmacScheme = {
	async parse(request, { toleranceSeconds }) {
		const timestamp = request.headers.get('x-zm-request-timestamp')
		const t = parseDigits(timestamp)
		if (t === null) return null
		const ms = t >= MILLISECONDS_FROM ? t : t * 1000
		if (!withinTolerance(ms, request.now, toleranceSeconds)) return null
		const signature = prefixedSignature(request.headers.get('x-zm-signature'), 'v0=', 'hex')
		if (!signature) return null
		return {
			hash: 'SHA-256',
			messages: [concatBytes(`v0:${timestamp}:`, request.rawBody)],
			signatures: [signature],
		}
	},
	async sign(input, mac) {
		const t = String(unixSeconds(input.now))
		const signature = await mac('SHA-256', concatBytes(`v0:${t}:`, input.body))
		return {
			'x-zm-request-timestamp': t,
			'x-zm-signature': `v0=${encodeSignature(signature, 'hex')}`,
		}
	},
}
