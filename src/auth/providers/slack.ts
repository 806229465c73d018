/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:" + timestamp + ":" + body)>`
 * with the timestamp from `X-Slack-Request-Timestamp` (unix seconds).
 * @see https://docs.slack.dev/authentication/verifying-requests-from-slack
 */
import { v0Scheme } from './v0-scheme'

export const slack = v0Scheme({
	timestamp: 'X-Slack-Request-Timestamp',
	signature: 'X-Slack-Signature',
	toMs: (t) => t * 1000,
})
