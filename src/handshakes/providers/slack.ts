/**
 * Slack Events API Request URL verification.
 *
 * Slack POSTs `{"token":..,"challenge":C,"type":"url_verification"}` as JSON, signed with
 * `X-Slack-Signature` like every event; the app verifies the request, then answers 200
 * `text/plain` with C as the whole body (Slack also accepts form or JSON answers; plain
 * text is the first one it documents).
 * @see https://api.slack.com/events/url_verification
 * @see https://api.slack.com/apis/http
 * @module
 */
import { stringField } from '../context'
import { echoText } from '../respond'
import type { HandshakeProvider } from '../types'

export const slack: HandshakeProvider<{ type: 'slack' }> = {
	signedByProvider: true,
	match(_config, context) {
		const body = context.jsonObject()
		if (body?.type !== 'url_verification') return null
		const challenge = stringField(body, 'challenge')
		if (challenge === null) return null
		return async () => echoText(challenge)
	},
}
