/**
 * GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`. Deliveries that
 * carry only the legacy `X-Hub-Signature: sha1=<hex HMAC-SHA1>` are checked with that;
 * when the SHA-256 header is present it alone decides, so it cannot be downgraded.
 * @see https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * @see https://docs.github.com/en/webhooks/webhook-events-and-payloads#delivery-headers
 */
import { encodeSignature } from '../encoding'
import { type HmacScheme, MALFORMED, unreadable } from '../scheme'
import { prefixedSignature } from './signature-header'

export const github: HmacScheme = {
	async parse(request) {
		const sha256 = request.headers.get('x-hub-signature-256')
		if (sha256 !== null) {
			const signature = prefixedSignature(sha256, 'sha256=', 'hex')
			return signature
				? { hash: 'SHA-256', messages: [request.rawBody], signatures: [signature] }
				: MALFORMED
		}
		const sha1 = request.headers.get('x-hub-signature')
		const signature = prefixedSignature(sha1, 'sha1=', 'hex')
		return signature
			? { hash: 'SHA-1', messages: [request.rawBody], signatures: [signature] }
			: unreadable(sha1)
	},
	deliveryId: (request) => request.headers.get('x-github-delivery') ?? undefined,
	async sign(input, mac) {
		const [sha256, sha1] = await Promise.all([mac('SHA-256', input.body), mac('SHA-1', input.body)])
		return {
			'X-Hub-Signature-256': `sha256=${encodeSignature(sha256, 'hex')}`,
			'X-Hub-Signature': `sha1=${encodeSignature(sha1, 'hex')}`,
		}
	},
}
