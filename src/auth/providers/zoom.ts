/**
 * Zoom: `x-zm-signature: v0=<hex HMAC-SHA256(secret token, "v0:" + x-zm-request-timestamp
 * + ":" + body)>`.
 * @see https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
 * @see https://github.com/zoom/webhook-sample/blob/master/index.js
 */
import { v0Scheme } from './v0-scheme'

// Zoom calls the header a Unix timestamp without naming the unit. It is signed, so reading
// a 13-digit value as milliseconds (seconds reach that size only in the year 5138) cannot
// widen the window; it only keeps either unit from being rejected as "in the future".
const MILLISECONDS_FROM = 1e11

export const zoom = v0Scheme({
	timestamp: 'x-zm-request-timestamp',
	signature: 'x-zm-signature',
	toMs: (t) => (t >= MILLISECONDS_FROM ? t : t * 1000),
})
