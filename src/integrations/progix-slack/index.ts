/**
 * `progix-slack`: tells a Slack channel about every new account in Progix (a fictional
 * SaaS). Deploying an instance subscribes its trigger URL to Progix's
 * `accounts.created` webhook; removing it deletes the subscription.
 * @module
 */
import { defineIntegration } from '../define'
import { newAccounts } from './new-accounts'
import { NEW_ACCOUNTS_EVENT, progixClient } from './progix-api'

export default defineIntegration({
	name: 'progix-slack',
	description: 'Posts new Progix accounts to Slack.',
	config: {
		progixApiUrl: {
			type: 'string',
			default: 'https://api.progix.example',
			description: 'Base URL of the Progix API.',
		},
		progixApiKey: { type: 'string', secret: true, description: 'Progix API key.' },
		slackWebhookUrl: {
			type: 'string',
			secret: true,
			// The URL is the credential: anyone who has it can post to the channel.
			description: 'Slack incoming webhook URL (https://api.slack.com/messaging/webhooks).',
		},
	},
	flows: { newAccounts },
	async onInstanceDeploy(context) {
		const progix = progixClient(
			context.fetch,
			context.config.progixApiUrl,
			context.config.progixApiKey,
		)
		const url = context.webhookUrls.newAccounts as string
		// Deploy hooks are retried, and a redeploy runs again: reuse our subscription rather
		// than have Progix deliver every event twice.
		const existing = (await progix.listWebhooks()).find((w) => w.url === url)
		if (existing) {
			context.log.info('Progix webhook already registered', { id: existing.id })
			return { progixWebhookId: existing.id }
		}
		const created = await progix.createWebhook(url, [NEW_ACCOUNTS_EVENT])
		context.log.info('Progix webhook registered', { id: created.id })
		return { progixWebhookId: created.id }
	},
	async onInstanceRemove(context) {
		const progix = progixClient(
			context.fetch,
			context.config.progixApiUrl,
			context.config.progixApiKey,
		)
		const id = context.instanceState.progixWebhookId
		if (typeof id === 'string') return progix.deleteWebhook(id)
		// The deploy hook may have registered the URL and failed before its state was kept.
		const url = context.webhookUrls.newAccounts
		for (const webhook of await progix.listWebhooks()) {
			if (webhook.url === url) await progix.deleteWebhook(webhook.id)
		}
	},
})
