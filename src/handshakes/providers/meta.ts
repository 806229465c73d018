/**
 * Meta (Facebook, Instagram, WhatsApp, Messenger) webhook verification requests.
 *
 * Meta GETs `?hub.mode=subscribe&hub.challenge=C&hub.verify_token=V`, V being the Verify
 * Token typed into the App Dashboard. The app checks V and answers with C; Meta's sample
 * app answers a wrong token with 403 Forbidden. V is compared in constant time: it is the
 * only thing standing between a stranger and a confirmed subscription.
 * @see https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
 * @see https://developers.facebook.com/docs/messenger-platform/webhooks#verification-requests
 * @module
 */
import { echoText } from '../respond'
import { hubVerifyToken } from './hub-verify-token'

export const meta = hubVerifyToken<{ type: 'meta'; verifyToken: string }>((challenge) =>
	echoText(challenge),
)
