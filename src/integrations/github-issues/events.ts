/**
 * Reading GitHub webhook deliveries: which event, and its JSON payload.
 * @see https://docs.github.com/en/webhooks/webhook-events-and-payloads
 * @module
 */
import type { TriggerPayload } from '../define'

/** GitHub names the event in this header; the body does not say. */
export const EVENT_HEADER = 'x-github-event'

/** Events this integration handles, by the flow that handles them. */
export const FLOW_BY_EVENT: ReadonlyMap<string, string> = new Map([
	['issues', 'issues'],
	['issue_comment', 'issueComments'],
	// GitHub pings a webhook when it is created; answered, never run.
	['ping', 'ping'],
])

export interface IssuePayload {
	action: string
	issue: { number: number; title: string }
}

export interface IssueCommentPayload extends IssuePayload {
	comment: { id: number }
}

/**
 * A webhook whose content type is `application/x-www-form-urlencoded` sends the JSON in
 * a `payload` field instead of as the body.
 * @see https://docs.github.com/en/webhooks/using-webhooks/creating-webhooks#content-type
 */
export function eventPayload<T>(payload: TriggerPayload): T {
	const data = payload.body.data
	if (data === null || typeof data !== 'object' || data instanceof Uint8Array) {
		throw new Error(`Expected a JSON ${payload.headers[EVENT_HEADER] ?? ''} event payload.`)
	}
	const form = (data as { payload?: unknown }).payload
	return (typeof form === 'string' ? JSON.parse(form) : data) as T
}
