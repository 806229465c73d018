/**
 * Providers whose scheme is the common HMAC shape, one row each. Every row is its
 * provider's documented scheme; docs/auth-presets.md gives the source of each and of its
 * test vectors.
 * @module
 */
import type { HmacPreset } from '../schema'
import type { HmacRow } from './row'

export const ROWS = {
	/** @see https://docs.stripe.com/webhooks#verify-manually */
	stripe: {
		header: 'Stripe-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { separator: ',', timestamp: 't', signature: 'v1' },
		content: '{timestamp}.{body}',
		timestamp: { unit: 's' },
		// Stripe's event id, identical across retries of an event.
		deliveryId: { json: 'id' },
	},
	/** @see https://docs.slack.dev/authentication/verifying-requests-from-slack */
	slack: {
		header: 'X-Slack-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: 'v0=' },
		content: 'v0:{timestamp}:{body}',
		timestamp: { header: 'X-Slack-Request-Timestamp', unit: 's' },
	},
	/** @see https://shopify.dev/docs/apps/build/webhooks/subscribe/https */
	shopify: {
		header: 'X-Shopify-Hmac-Sha256',
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{body}',
		deliveryId: { header: 'X-Shopify-Webhook-Id' },
	},
	/**
	 * The notification URL is the one the subscription posts to (the public trigger URL).
	 * @see https://developer.squareup.com/docs/webhooks/step3validate
	 */
	square: {
		header: 'x-square-hmacsha256-signature',
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{url}{body}',
		// Square's event_id stays the same across retries of a notification.
		deliveryId: { json: 'event_id' },
	},
	/** @see https://developer.paddle.com/webhooks/signature-verification */
	paddle: {
		header: 'Paddle-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { separator: ';', timestamp: 'ts', signature: 'h1' },
		content: '{timestamp}:{body}',
		timestamp: { unit: 's' },
		// Paddle's event id, unchanged when the notification is retried.
		deliveryId: { json: 'event_id' },
	},
	/** @see https://docs.mux.com/guides/system/verify-webhook-signatures */
	mux: {
		header: 'Mux-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { separator: ',', timestamp: 't', signature: 'v1' },
		content: '{timestamp}.{body}',
		timestamp: { unit: 's' },
		deliveryId: { json: 'id' },
	},
	/** @see https://developers.line.biz/en/reference/messaging-api/#signature-validation */
	line: {
		header: 'x-line-signature',
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{body}',
	},
	/** @see https://razorpay.com/docs/webhooks/validate-test/ */
	razorpay: {
		header: 'X-Razorpay-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{body}',
		deliveryId: { header: 'x-razorpay-event-id' },
	},
	/** @see https://docs.cdp.coinbase.com/commerce/api-arcitecture/webhooks-security */
	'coinbase-commerce': {
		header: 'X-CC-Webhook-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{body}',
		// The event's id: the top-level id names one delivery of it.
		deliveryId: { json: 'event.id' },
	},
	/**
	 * Box signs with a primary and a secondary key, one signature header each, so that
	 * keys can be rotated one at a time: configure both as secrets.
	 * @see https://developer.box.com/guides/webhooks/v2/signatures-v2/
	 */
	box: {
		header: ['box-signature-primary', 'box-signature-secondary'],
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{body}{timestamp}',
		timestamp: { header: 'box-delivery-timestamp', unit: 'rfc3339', toleranceSeconds: 600 },
		deliveryId: { header: 'box-delivery-id' },
		fixed: { 'box-signature-version': '1', 'box-signature-algorithm': 'HmacSHA256' },
	},
	/** @see https://developer.pagerduty.com/docs/webhooks/webhook-signatures/ */
	pagerduty: {
		header: 'X-PagerDuty-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { separator: ',', signature: 'v1' },
		content: '{body}',
		deliveryId: { json: 'event.id' },
	},
	/** @see https://developer.calendly.com/api-docs/overview/webhooks/webhook-signatures */
	calendly: {
		header: 'Calendly-Webhook-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { separator: ',', timestamp: 't', signature: 'v1' },
		content: '{timestamp}.{body}',
		timestamp: { unit: 's', toleranceSeconds: 180 },
	},
	/**
	 * @see https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#verifying-the-event-message
	 */
	twitch: {
		header: 'Twitch-Eventsub-Message-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: 'sha256=' },
		content: '{id}{timestamp}{body}',
		id: 'Twitch-Eventsub-Message-Id',
		timestamp: {
			header: 'Twitch-Eventsub-Message-Timestamp',
			unit: 'rfc3339',
			toleranceSeconds: 600,
		},
		deliveryId: { header: 'Twitch-Eventsub-Message-Id' },
	},
	/** @see https://developers.webflow.com/data/docs/working-with-webhooks */
	webflow: {
		header: 'x-webflow-signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{timestamp}:{body}',
		timestamp: { header: 'x-webflow-timestamp', unit: 'ms' },
	},
	/** @see https://developer.zendesk.com/documentation/webhooks/verifying/ */
	zendesk: {
		header: 'X-Zendesk-Webhook-Signature',
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{timestamp}{body}',
		timestamp: { header: 'X-Zendesk-Webhook-Signature-Timestamp', unit: 'rfc3339' },
		deliveryId: { header: 'X-Zendesk-Webhook-Invocation-Id' },
	},
	/** @see https://www.typeform.com/developers/webhooks/secure-your-webhooks/ */
	typeform: {
		header: 'Typeform-Signature',
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: 'sha256=' },
		content: '{body}',
		deliveryId: { json: 'event_id' },
	},
	/** @see https://developers.notion.com/reference/webhooks */
	notion: {
		header: 'X-Notion-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: 'sha256=' },
		content: '{body}',
		deliveryId: { json: 'id' },
	},
	/** @see https://developers.asana.com/docs/webhooks-guide */
	asana: {
		header: 'X-Hook-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{body}',
	},
	/** @see https://www.dropbox.com/developers/reference/webhooks */
	dropbox: {
		header: 'X-Dropbox-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{body}',
	},
	/** @see https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks */
	vercel: {
		header: 'x-vercel-signature',
		hash: 'SHA-1',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{body}',
		deliveryId: { json: 'id' },
	},
	/** @see https://support.atlassian.com/bitbucket-cloud/docs/manage-webhooks/ */
	bitbucket: {
		header: 'X-Hub-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: 'sha256=' },
		content: '{body}',
		deliveryId: { header: 'X-Request-UUID' },
	},
	/** @see https://docs.lemonsqueezy.com/help/webhooks/signing-requests */
	'lemon-squeezy': {
		header: 'X-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{body}',
	},
	/** @see https://developer.woocommerce.com/docs/apis/rest-api/v1/webhooks/ */
	woocommerce: {
		header: 'X-WC-Webhook-Signature',
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{body}',
		deliveryId: { header: 'X-WC-Webhook-Delivery-ID' },
	},
	/** @see https://developers.intercom.com/docs/webhooks/webhook-notifications */
	intercom: {
		header: 'X-Hub-Signature',
		hash: 'SHA-1',
		encoding: 'hex',
		format: { prefix: 'sha1=' },
		content: '{body}',
		deliveryId: { json: 'id' },
	},
	/**
	 * The key is the application's secret, and the URL the callbackURL the webhook was
	 * created with (the public trigger URL; `publicBaseUrl` behind a proxy).
	 * @see https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/#webhook-signatures
	 */
	trello: {
		header: 'X-Trello-Webhook',
		hash: 'SHA-1',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{body}{url}',
		deliveryId: { json: 'action.id' },
	},
	/**
	 * `Sentry-Hook-Timestamp` is not signed, so it bounds nothing and is not checked.
	 * @see https://docs.sentry.io/integrations/integration-platform/webhooks/#sentry-hook-signature
	 */
	sentry: {
		header: 'Sentry-Hook-Signature',
		hash: 'SHA-256',
		encoding: 'hex',
		format: { prefix: '' },
		content: '{body}',
		deliveryId: { header: 'Request-ID' },
	},
	/**
	 * One `X-DocuSign-Signature-N` header per active Connect key; any one may match. The
	 * first eight are read, as many signatures as are ever checked per request.
	 * @see https://developers.docusign.com/platform/webhooks/connect/validate/
	 */
	docusign: {
		header: [
			'X-DocuSign-Signature-1',
			'X-DocuSign-Signature-2',
			'X-DocuSign-Signature-3',
			'X-DocuSign-Signature-4',
			'X-DocuSign-Signature-5',
			'X-DocuSign-Signature-6',
			'X-DocuSign-Signature-7',
			'X-DocuSign-Signature-8',
		],
		hash: 'SHA-256',
		encoding: 'base64',
		format: { prefix: '' },
		content: '{body}',
	},
} as const satisfies Partial<Record<HmacPreset, HmacRow>>
