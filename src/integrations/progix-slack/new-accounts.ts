/**
 * The `newAccounts` flow, written as declarative steps: Progix's `accounts.created`
 * webhook becomes one Slack message per account, posted to an incoming webhook.
 * @module
 */
import { defineFlow } from '../define'

/**
 * Account fields come from a third party and Slack reads `<...>` as links and mentions
 * (`<!channel>`), so `&`, `<` and `>` are escaped as Slack asks.
 * @see https://api.slack.com/reference/surfaces/formatting#escaping
 */
const SLACK_MESSAGES = `(
	$escape := function($s) {
		$replace($replace($replace($string($s), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')
	};
	body.event = 'accounts.created'
		? [body.accounts.(
			'New Progix account: *' & $escape(name) & '* ('
				& $escape(plan) & ' plan, id ' & $escape(id) & ')'
		)]
		: []
)`

/**
 * One POST of `{"text": …}` per message to the instance's Slack incoming webhook.
 * @see https://api.slack.com/messaging/webhooks
 */
export const newAccounts = defineFlow({
	description: 'Posts a Slack message for each account in a Progix accounts.created webhook.',
	// Slack incoming webhooks take no idempotency key, and a retry posts every message of
	// the batch again, so a failed batch is retried once, after about a second.
	retry: { attempts: 2, initialDelayMs: 1000 },
	steps: [
		{ type: 'transform', name: 'messages', expression: SLACK_MESSAGES },
		{
			type: 'loop',
			name: 'post to Slack',
			items: 'steps.messages',
			steps: [
				{
					type: 'http',
					name: 'Slack message',
					method: 'POST',
					url: 'config.slackWebhookUrl',
					body: '{"text": item}',
				},
			],
		},
	],
})
