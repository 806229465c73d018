/**
 * Google push notification channels (Drive, Calendar, Admin SDK and other APIs with a
 * `watch` method): the sync message.
 *
 * Right after a channel is created Google POSTs a message with no body whose
 * `X-Goog-Resource-State` is `sync` (and `X-Goog-Message-Number: 1`) to say
 * notifications are starting; Google documents that it can be ignored, and any of 200,
 * 201, 202, 204 or 102 acknowledges it. It is answered 200 and starts no execution.
 *
 * Google sends the channel's `X-Goog-Channel-Token` (the `token` given to `watch`) with it
 * like with every notification, so an endpoint authenticating on that header (an
 * `apiKey` auth with `header: "x-goog-channel-token"`) authenticates the sync as well.
 * @see https://developers.google.com/workspace/drive/api/guides/push
 * @see https://developers.google.com/workspace/calendar/api/guides/push
 * @module
 */
import { emptyAnswer } from '../respond'
import type { HandshakeProvider } from '../types'

export const googleChannel: HandshakeProvider<{ type: 'google-channel' }> = {
	signedByProvider: true,
	match(_config, context) {
		if (context.method !== 'POST') return null
		if (context.header('X-Goog-Resource-State') !== 'sync') return null
		if (context.header('X-Goog-Channel-ID') === null) return null
		return async () => emptyAnswer()
	},
}
