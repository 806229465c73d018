/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)>`
 * with the timestamp from `X-Slack-Request-Timestamp` (unix seconds).
 * @see https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
import { concatBytes, encodeSignature } from '../encoding'
import type { HmacScheme } from '../scheme'
import { parseDigits, unixSeconds, withinTolerance } from '../timestamp'
import { prefixedSignature } from './signature-header'

export const slack: HmacScheme = {
	async parse(request, { toleranceSeconds }) {
		const timestamp = request.headers.get('x-slack-request-timestamp')
		const t = parseDigits(timestamp)
		if (t === null || !withinTolerance(t * 1000, request.now, toleranceSeconds)) return null
		const signature = prefixedSignature(request.headers.get('x-slack-signature'), 'v0=', 'hex')
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
			'X-Slack-Request-Timestamp': t,
			'X-Slack-Signature': `v0=${encodeSignature(signature, 'hex')}`,
		}
	},
}
