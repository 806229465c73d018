/**
 * Okta event hook one-time verification.
 *
 * When an event hook is created (or verified again), Okta GETs its URL with an
 * `X-Okta-Verification-Challenge` header and no body; the service answers 200 with the
 * JSON `{"verification": <header value>}`. Okta sends the hook's configured
 * authentication header (e.g. `Authorization: my-shared-secret`) with this request as
 * with every event, so it is answered only after the endpoint's authentication passes.
 * @see https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request
 * @see https://support.okta.com/help/s/article/Unable-to-verify-event-hook-Hook-hook-name-execution-failed
 * @module
 */
import { jsonAnswer } from '../respond'
import type { HandshakeProvider } from '../types'

export const okta: HandshakeProvider<{ type: 'okta' }> = {
	signedByProvider: true,
	match(_config, context) {
		if (context.method !== 'GET') return null
		const challenge = context.header('X-Okta-Verification-Challenge')
		if (challenge === null) return null
		return async () => jsonAnswer({ verification: challenge })
	},
}
