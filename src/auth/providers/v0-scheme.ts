/**
 * The `v0` scheme Slack introduced and Zoom adopted: a hex HMAC-SHA256 of
 * `"v0:" + timestamp + ":" + body`, sent as `v0=<hex>` beside a timestamp header.
 * @module
 */
import { concatBytes, encodeSignature } from '../encoding'
import { type HmacScheme, MISSING, unreadable } from '../scheme'
import { parseDigits, timestampProblem, unixSeconds } from '../timestamp'
import { prefixedSignature } from './signature-header'

export function v0Scheme(headers: {
	timestamp: string
	signature: string
	/** The timestamp header's value in ms since the epoch. */
	toMs: (t: number) => number
}): HmacScheme {
	return {
		async parse(request, { toleranceSeconds }) {
			const timestamp = request.headers.get(headers.timestamp)
			const value = request.headers.get(headers.signature)
			if (!timestamp && !value) return MISSING
			const t = parseDigits(timestamp)
			const stale = timestampProblem(
				timestamp,
				t === null ? null : headers.toMs(t),
				request.now,
				toleranceSeconds,
			)
			if (stale) return stale
			const signature = prefixedSignature(value, 'v0=', 'hex')
			if (!signature) return unreadable(value)
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
				[headers.timestamp]: t,
				[headers.signature]: `v0=${encodeSignature(signature, 'hex')}`,
			}
		},
	}
}
