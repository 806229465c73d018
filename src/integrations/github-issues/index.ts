/**
 * `github-issues`: one signed webhook URL per instance for a repository's `issues` and
 * `issue_comment` events, each handled by its own flow.
 * @see https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * @module
 */
import { defineFlow, defineIntegration } from '../define'
import {
	EVENT_HEADER,
	eventPayload,
	FLOW_BY_EVENT,
	type IssueCommentPayload,
	type IssuePayload,
} from './events'

interface GithubConfig {
	webhookSecret: string
}

/** GitHub signs each delivery with the webhook's secret (`X-Hub-Signature-256`). */
const githubSignature = { type: 'hmac', preset: 'github', secretConfig: 'webhookSecret' } as const

/** @see https://docs.github.com/en/webhooks/webhook-events-and-payloads#issues */
export const issues = defineFlow<GithubConfig>({
	description: 'An issue was opened, edited, closed, labeled, …',
	auth: githubSignature,
	async onExecution(context, payload) {
		const event = eventPayload<IssuePayload>(payload)
		return context.step('summary', () => ({
			action: event.action,
			issue: event.issue.number,
			title: event.issue.title,
		}))
	},
})

/** @see https://docs.github.com/en/webhooks/webhook-events-and-payloads#issue_comment */
export const issueComments = defineFlow<GithubConfig>({
	description: 'A comment on an issue or pull request was created, edited or deleted.',
	auth: githubSignature,
	async onExecution(context, payload) {
		const event = eventPayload<IssueCommentPayload>(payload)
		return context.step('summary', () => ({
			action: event.action,
			issue: event.issue.number,
			commentId: event.comment.id,
		}))
	},
})

/**
 * GitHub's `ping` on webhook creation: acknowledged (after the signature check) without
 * starting an execution, so GitHub shows the webhook as working.
 * @see https://docs.github.com/en/webhooks/webhook-events-and-payloads#ping
 */
export const ping = defineFlow<GithubConfig>({
	description: 'Acknowledges GitHub’s ping.',
	auth: githubSignature,
	onTrigger: () => ({
		skip: true,
		response: { status: 200, contentType: 'application/json', body: '{"ok":true}' },
	}),
	onExecution: () => null,
})

export default defineIntegration({
	name: 'github-issues',
	description: 'GitHub issues and issue comments, through one signed webhook URL.',
	config: {
		webhookSecret: {
			type: 'string',
			secret: true,
			description: 'The secret set on the GitHub webhook.',
		},
	},
	// GitHub sends every event a webhook subscribes to to the same URL.
	endpointMode: 'instance',
	flows: { issues, issueComments, ping },
	route(payload) {
		// Other events match no flow, and the sender gets a 404.
		const flow = FLOW_BY_EVENT.get(payload.headers[EVENT_HEADER] ?? '')
		return flow ? { flow } : undefined
	},
})
