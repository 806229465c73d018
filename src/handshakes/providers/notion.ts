/**
 * Notion webhook subscription verification.
 *
 * When a subscription is created (or the token is resent from the integration's
 * Webhooks tab) Notion POSTs `{"verification_token": "secret_..."}` once. Nothing is
 * expected back but a 2xx: the operator copies the token into Notion's Verify dialog,
 * and from then on Notion signs every event with
 * `X-Notion-Signature: sha256=hex(HMAC-SHA256(verification_token, body))`.
 *
 * So the token must reach the operator, and it is a signing secret: the match carries it
 * as a capture for the gateway to keep, and the answer is a bare 200. The request cannot
 * be signed with a token the receiver does not have yet, so it is answered before
 * authentication; a forged one only offers the operator a token Notion will refuse.
 * @see https://developers.notion.com/reference/webhooks#step-2-verifying-the-subscription
 * @module
 */
import { soleStringField } from '../context'
import { emptyAnswer } from '../respond'
import type { HandshakeContext, HandshakeProvider } from '../types'

const FIELD = 'verification_token'

const tokenOf = (context: HandshakeContext) => soleStringField(context.jsonObject(), FIELD)

export const notion: HandshakeProvider<{ type: 'notion' }> = {
	signedByProvider: false,
	match(_config, context) {
		if (tokenOf(context) === null) return null
		return async () => emptyAnswer()
	},
	capture(context) {
		const token = tokenOf(context)
		return token === null ? null : { name: FIELD, value: token }
	},
}
