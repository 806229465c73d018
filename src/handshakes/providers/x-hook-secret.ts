/**
 * The `X-Hook-Secret` handshake of REST Hooks, as Asana and Zapier-style senders use it.
 *
 * When a webhook is created the sender POSTs to the target with an `X-Hook-Secret`
 * header; the target confirms it expects the subscription by answering `200 OK` (or
 * `204`) with the same `X-Hook-Secret` header. Asana then signs every event with
 * `X-Hook-Signature: hex(HMAC-SHA256(secret, body))`, and "strongly recommends storing
 * this secret": the match carries it as a capture so the gateway can keep it for the
 * operator, who makes it the endpoint's HMAC secret.
 *
 * The handshake itself cannot be signed (the secret is what it delivers), so it is
 * answered before authentication. Echoing a header the sender chose gives nothing away.
 * @see https://developers.asana.com/reference/createwebhook
 * @see https://developers.asana.com/docs/webhooks-guide
 * @see http://resthooks.org/docs/security/
 * @module
 */
import { emptyAnswer } from '../respond'
import type { HandshakeContext, HandshakeProvider } from '../types'

const HEADER = 'X-Hook-Secret'

function secretOf(context: HandshakeContext): string | null {
	return context.method === 'POST' ? context.header(HEADER) : null
}

export const xHookSecret: HandshakeProvider<{ type: 'asana' | 'rest-hooks' }> = {
	signedByProvider: false,
	match(_config, context) {
		const secret = secretOf(context)
		if (secret === null) return null
		return async () => emptyAnswer({ [HEADER.toLowerCase()]: secret })
	},
	capture(context) {
		const secret = secretOf(context)
		return secret === null ? null : { name: HEADER, value: secret }
	},
}
