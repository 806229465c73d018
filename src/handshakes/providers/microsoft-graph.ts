/**
 * Microsoft Graph change-notification endpoint validation.
 *
 * Graph POSTs to `{notificationUrl}?validationToken={opaqueToken}` (empty body). The app
 * URL-decodes the token and answers within 10 seconds with 200, `text/plain`, the decoded
 * token as the body. Graph asks that HTML/JavaScript in it be escaped: serving it as
 * text/plain with `nosniff` makes it inert without altering the bytes Graph compares.
 * @see https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks#notification-endpoint-validation
 * @module
 */
import { echoText } from '../respond'
import type { HandshakeProvider } from '../types'

export const microsoftGraph: HandshakeProvider<{ type: 'microsoft-graph' }> = {
	signedByProvider: false,
	match(_config, context) {
		if (context.method !== 'POST') return null
		const token = context.query('validationToken')
		if (token === null) return null
		return async () => echoText(token)
	},
}
