import { describe, expect, it } from 'vitest'
import { COINBASE_BODY, PAGERDUTY_BODY } from './sdk-bodies'
import {
	expectFail,
	expectOk,
	header,
	type RequestInit,
	SECONDS,
	signed,
	withHeader,
} from './support'

/**
 * Every data-row preset (src/auth/providers/rows.ts) against a vector. `source` names where
 * the vector comes from: a provider SDK's test fixture (repo, file, commit), or, where the
 * provider publishes none, "computed": the documented scheme computed independently with
 * node:crypto `createHmac` (not with this code), e.g. for calendly
 * `createHmac('sha256', key).update(t + '.' + body).digest('hex')`.
 * Stripe, Slack, Shopify, Square and Paddle are rows too; their vectors are in their own files.
 */
interface Vector {
	preset: string
	source: string
	secrets: string[]
	body: string
	headers: Record<string, string>
	now: number
	deliveryId?: string
	/** The header whose value is the signature (removed, or replaced, by the tests). */
	signature: string
	/** The provider's replay window in seconds, for timestamped schemes. */
	tolerance?: number
	/** True when our signer, at `now`, must reproduce the vector's headers exactly. */
	deterministic?: boolean
}

const at = (seconds: number) => seconds * SECONDS

const VECTORS: Vector[] = [
	{
		preset: 'mux',
		source:
			'muxinc/mux-node-sdk tests/api-resources/webhooks.test.ts @ 28c52da6473c4b9e99077442697874241f2b2b76',
		secrets: ['SuperSecret123'],
		body: '{"test":"body"}',
		headers: {
			'mux-signature':
				't=1565125718,v1=854ece4c22acef7c66b57d4e504153bc512595e8e9c772ece2a68150548c19a7',
		},
		now: at(1565125718),
		signature: 'mux-signature',
		tolerance: 300,
		deterministic: true,
	},
	{
		preset: 'line',
		source:
			'line/line-bot-sdk-nodejs test/validate-signature.spec.ts @ c3a665a71d2a6476efca9dc3c49c299ff4bf51cf',
		secrets: ['test_secret'],
		body: '{"hello":"world"}',
		headers: { 'x-line-signature': 't7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=' },
		now: at(1_700_000_000),
		signature: 'x-line-signature',
		deterministic: true,
	},
	{
		preset: 'razorpay',
		source:
			'razorpay/razorpay-node test/utils/razorpay-utils.spec.js @ 7c5a098c53cea87fef76bcdeecaece6f1bded093',
		secrets: ['123456'],
		body: '{"a":1,"b":2,"c":{"d":3}}',
		headers: {
			'X-Razorpay-Signature': '2fe04e22977002e6c7cb553adab8b460cb9e2a4970d5953cb27a8472752e3bbc',
			'x-razorpay-event-id': 'JSd3wa5ZC3DW4Y',
		},
		now: at(1_700_000_000),
		deliveryId: 'JSd3wa5ZC3DW4Y',
		signature: 'X-Razorpay-Signature',
	},
	{
		preset: 'coinbase-commerce',
		source:
			'coinbase/coinbase-commerce-node test/testWebhook.spec.js @ e62328b24b38ac5fe14c415fd3275e381f78349f',
		secrets: ['30291a20-0bd1-4267-9b0f-e6e7b123c0bf'],
		body: COINBASE_BODY,
		headers: {
			'X-CC-Webhook-Signature': '8be7742c7d372f08a6a3224edadf18a22b65fa9e28f3f2de97376cdaa092590d',
		},
		now: at(1_700_000_000),
		deliveryId: '24934862-d980-46cb-9402-43c81b0cdba6',
		signature: 'X-CC-Webhook-Signature',
		deterministic: true,
	},
	{
		preset: 'box',
		source:
			'box/box-node-sdk tests/lib/managers/webhooks-test.js @ f6034813f135b3659e8a19a7540e01cc08ea4144',
		secrets: ['SamplePrimaryKey', 'SampleSecondaryKey'],
		body: '{"type":"webhook_event","webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"Test.txt"}}',
		headers: {
			'box-delivery-id': 'f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f',
			'box-delivery-timestamp': '2020-01-01T00:00:00-07:00',
			'box-signature-algorithm': 'HmacSHA256',
			'box-signature-primary': '6TfeAW3A1PASkgboxxA5yqHNKOwFyMWuEXny/FPD5hI=',
			'box-signature-secondary': 'v+1CD1Jdo3muIcbpv5lxxgPglOqMfsNHPV899xWYydo=',
			'box-signature-version': '1',
		},
		now: Date.parse('2020-01-01T07:00:00Z'),
		deliveryId: 'f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f',
		signature: 'box-signature-primary',
		tolerance: 600,
	},
	{
		preset: 'pagerduty',
		source:
			'PagerDuty/go-pagerduty webhookv3/webhookv3_test.go @ 3df5eb4e62dcdf897d37106578d7be6ad54449dc',
		secrets: ['lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK'],
		body: PAGERDUTY_BODY,
		headers: {
			'X-PagerDuty-Signature':
				'v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd',
		},
		now: at(1_700_000_000),
		deliveryId: '01BWDWL3NYY7LUFPZCC28QUCMK',
		signature: 'X-PagerDuty-Signature',
		deterministic: true,
	},
	{
		preset: 'calendly',
		source: 'computed',
		secrets: ['calendly-signing-key'],
		body: '{"created_at":"2023-11-14T22:13:20.000000Z","event":"invitee.created","payload":{"uri":"https://api.calendly.com/scheduled_events/AAAA/invitees/BBBB"}}',
		headers: {
			'Calendly-Webhook-Signature':
				't=1700000000,v1=deca6ee6c8880f4e931aaccaee840448088d1c599ae0791786e5d51097c25853',
		},
		now: at(1_700_000_000),
		signature: 'Calendly-Webhook-Signature',
		tolerance: 180,
		deterministic: true,
	},
	{
		preset: 'twitch',
		source: 'computed',
		secrets: ['s3cRe7-twitch-secret'],
		body: '{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","type":"channel.follow","version":"2"},"event":{"user_id":"1337","broadcaster_user_id":"12826"}}',
		headers: {
			'Twitch-Eventsub-Message-Id': 'e76c6bd4-55c9-4987-8304-da1588d8988b',
			// Twitch's documented format: RFC 3339 with nanoseconds.
			'Twitch-Eventsub-Message-Timestamp': '2019-11-16T10:11:12.634234626Z',
			'Twitch-Eventsub-Message-Signature':
				'sha256=96e5eb1541c11d2da54bd8a1f3f61f113005994b881416e88ef5aa0235ef9bc1',
		},
		now: Date.parse('2019-11-16T10:11:12.634Z'),
		deliveryId: 'e76c6bd4-55c9-4987-8304-da1588d8988b',
		signature: 'Twitch-Eventsub-Message-Signature',
		tolerance: 600,
	},
	{
		preset: 'webflow',
		source: 'computed',
		secrets: ['webflow-webhook-secret'],
		body: '{"triggerType":"form_submission","payload":{"name":"Contact","id":"6321ca84df3949bfc6752327"}}',
		headers: {
			'x-webflow-timestamp': '1700000000123',
			'x-webflow-signature': 'a89ad6b92dea540efa63e4a15de8e46a6b47dcbddc503965faad4c555b78fc33',
		},
		now: 1_700_000_000_123,
		signature: 'x-webflow-signature',
		tolerance: 300,
		deterministic: true,
	},
	{
		preset: 'zendesk',
		source: 'computed (key: the signing secret Zendesk documents for test webhooks)',
		secrets: ['dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=='],
		body: '{"type":"zen:event-type:ticket.created","id":"cbe4028c-7239-495d-b020-f22348516046"}',
		headers: {
			'X-Zendesk-Webhook-Signature-Timestamp': '2021-03-31T20:39:19Z',
			'X-Zendesk-Webhook-Signature': 'N0lBXQc5++yzWql0ABrWsOHB7lBSyyDaTL+F8wKnDyw=',
			'X-Zendesk-Webhook-Invocation-Id': '8350205582',
		},
		now: Date.parse('2021-03-31T20:39:19Z'),
		deliveryId: '8350205582',
		signature: 'X-Zendesk-Webhook-Signature',
		tolerance: 300,
	},
	{
		preset: 'typeform',
		source: 'computed',
		secrets: ['typeform-webhook-secret'],
		body: '{"event_id":"01HCQ5N6JZ8WJ7E3MBYXFX3K4V","event_type":"form_response","form_response":{"form_id":"lT4Z3j"}}',
		headers: { 'Typeform-Signature': 'sha256=1HIkTQraf5IRHXSpTUSZBEZtntHsKy2d3RKX6QPCGKM=' },
		now: at(1_700_000_000),
		deliveryId: '01HCQ5N6JZ8WJ7E3MBYXFX3K4V',
		signature: 'Typeform-Signature',
		deterministic: true,
	},
	{
		preset: 'notion',
		source: 'computed',
		secrets: ['secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl'],
		body: '{"id":"367cba44-b6f3-4c92-81e7-6a2e9659efd4","timestamp":"2024-12-05T23:55:34.285Z","type":"page.created","entity":{"id":"153104cd-477e-809d-8dc4-ff2d96ae3090","type":"page"}}',
		headers: {
			'X-Notion-Signature':
				'sha256=3a3095ee8da6bf19b7f0155e8e93867f9ec2594278366ddd8d2195beb5e9a59e',
		},
		now: at(1_700_000_000),
		deliveryId: '367cba44-b6f3-4c92-81e7-6a2e9659efd4',
		signature: 'X-Notion-Signature',
		deterministic: true,
	},
	{
		preset: 'asana',
		source: 'computed',
		secrets: ['asana-x-hook-secret'],
		body: '{"events":[{"action":"changed","resource":{"gid":"1234","resource_type":"task"}}]}',
		headers: {
			'X-Hook-Signature': '63d2f1fc23c4806f4eb44ae84a6459b49d90763426b314711bd5bdd08e930ee7',
		},
		now: at(1_700_000_000),
		signature: 'X-Hook-Signature',
		deterministic: true,
	},
	{
		preset: 'dropbox',
		source: 'computed',
		secrets: ['dropbox-app-secret'],
		body: '{"list_folder": {"accounts": ["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc"]}, "delta": {"users": [12345]}}',
		headers: {
			'X-Dropbox-Signature': 'c4499346a4b8a72c25d7c8785e7b836e7148ffe6e66c7bfef8e9d162227e535f',
		},
		now: at(1_700_000_000),
		signature: 'X-Dropbox-Signature',
		deterministic: true,
	},
	{
		preset: 'vercel',
		source: 'computed',
		secrets: ['vercel-webhook-secret'],
		body: '{"id":"Ea8h0dXl4trGkB3zP8qDg0MB","type":"deployment.created","createdAt":1700000000000,"payload":{"deployment":{"id":"dpl_2qhM"}}}',
		headers: { 'x-vercel-signature': '5862ca724ed6b0f10b918e52812cd17903f8abff' },
		now: at(1_700_000_000),
		deliveryId: 'Ea8h0dXl4trGkB3zP8qDg0MB',
		signature: 'x-vercel-signature',
		deterministic: true,
	},
	{
		preset: 'bitbucket',
		source: 'computed',
		secrets: ['bitbucket-webhook-secret'],
		body: '{"push":{"changes":[]},"repository":{"full_name":"team/repo"}}',
		headers: {
			'X-Hub-Signature': 'sha256=b1659ead221ec38836d6d330d3d402a0c52e7fd2475c299cd1c28cb01b32792d',
			'X-Request-UUID': '2f3c8e5a-7b1d-4c9e-a6f0-1d2e3f4a5b6c',
		},
		now: at(1_700_000_000),
		deliveryId: '2f3c8e5a-7b1d-4c9e-a6f0-1d2e3f4a5b6c',
		signature: 'X-Hub-Signature',
	},
	{
		preset: 'lemon-squeezy',
		source: 'computed',
		secrets: ['lemon-signing-secret'],
		body: '{"meta":{"event_name":"order_created"},"data":{"type":"orders","id":"1"}}',
		headers: {
			'X-Signature': '9a2b034ffc26dbecf630f01edfada001f340dc77d633d4dd4829d2579f367ab1',
		},
		now: at(1_700_000_000),
		signature: 'X-Signature',
		deterministic: true,
	},
	{
		preset: 'woocommerce',
		source: 'computed',
		secrets: ['woocommerce-secret'],
		body: '{"id":727,"status":"processing","currency":"USD"}',
		headers: {
			'X-WC-Webhook-Signature': 'yBwDy/xft9V2RPejoo1EfWzNgNDXKZUnvn9plewszoU=',
			'X-WC-Webhook-Delivery-ID': '4fa7b1c0e2d3',
		},
		now: at(1_700_000_000),
		deliveryId: '4fa7b1c0e2d3',
		signature: 'X-WC-Webhook-Signature',
	},
	{
		preset: 'intercom',
		source: 'computed',
		secrets: ['intercom-client-secret'],
		body: '{"type":"notification_event","id":"notif_ccd8a4d2-9fc7-4b4a-b7d9-c7d2b9d2f1a0","topic":"conversation.user.created","data":{"item":{"type":"conversation"}}}',
		headers: { 'X-Hub-Signature': 'sha1=5b45c0a53fec47308acd887fb449a4d6d6598736' },
		now: at(1_700_000_000),
		deliveryId: 'notif_ccd8a4d2-9fc7-4b4a-b7d9-c7d2b9d2f1a0',
		signature: 'X-Hub-Signature',
		deterministic: true,
	},
	{
		preset: 'trello',
		source: 'computed (body + the callback URL, here the trigger URL)',
		secrets: ['trello-app-secret'],
		body: '{"action":{"id":"5f1b2c3d4e5f60718293a4b5","type":"updateCard"},"model":{"id":"4d5ea62fd76aa1136000000c"}}',
		headers: { 'X-Trello-Webhook': 'ZgUAzrRY8tZV/TOgxqUd60KzdlM=' },
		now: at(1_700_000_000),
		deliveryId: '5f1b2c3d4e5f60718293a4b5',
		signature: 'X-Trello-Webhook',
		deterministic: true,
	},
	{
		preset: 'sentry',
		source: 'computed',
		secrets: ['sentry-client-secret'],
		body: '{"action":"created","installation":{"uuid":"7a485448-a9e2-4c85-8a3c-4f44175783c9"},"data":{"issue":{"id":"1170820242"}}}',
		headers: {
			'Sentry-Hook-Signature': '18d154857bf297f79b17e18b7c94435b6b31f7c47db799991ceb52e4d1a2a881',
			'Sentry-Hook-Resource': 'issue',
			'Request-ID': '6b6e2ff0-6c5a-4b8b-9a1b-2bd7d1c1a0f4',
		},
		now: at(1_700_000_000),
		deliveryId: '6b6e2ff0-6c5a-4b8b-9a1b-2bd7d1c1a0f4',
		signature: 'Sentry-Hook-Signature',
	},
	{
		preset: 'docusign',
		source: 'computed',
		secrets: ['docusign-connect-key'],
		body: '{"event":"envelope-completed","apiVersion":"v2.1","uri":"/restapi/v2.1/accounts/1/envelopes/2","generatedDateTime":"2024-01-01T00:00:00.0000000Z","data":{"envelopeId":"2"}}',
		headers: { 'X-DocuSign-Signature-1': '9DQH7/9tv8GUzdDXc+xHysjD047iD64i6/yybE+e1nY=' },
		now: at(1_700_000_000),
		signature: 'X-DocuSign-Signature-1',
		deterministic: true,
	},
]

const authOf = (v: Vector, secrets = v.secrets) => ({ type: 'hmac', preset: v.preset, secrets })
const initOf = (v: Vector): RequestInit => ({ body: v.body, headers: v.headers, now: v.now })

describe.each(VECTORS)('$preset preset ($source)', (v) => {
	it('accepts the vector and reports the delivery id', async () => {
		await expectOk(authOf(v), initOf(v), v.deliveryId)
	})

	it('rejects a tampered body', async () => {
		await expectFail(authOf(v), { ...initOf(v), body: `${v.body} ` }, 'signature')
		await expectFail(authOf(v), { ...initOf(v), body: v.body.replace('"', "'") }, 'signature')
	})

	it('rejects a wrong key, and accepts the right one among several (rotation)', async () => {
		const wrong = v.secrets.map((s) => `${s}x`)
		await expectFail(authOf(v, wrong), initOf(v), 'signature')
		await expectOk(authOf(v, [...wrong, ...v.secrets]), initOf(v), v.deliveryId)
	})

	it('rejects a missing or malformed signature', async () => {
		const withoutSignature = Object.keys(v.headers).reduce(
			(init, name) =>
				/signature/i.test(name) || name === v.signature ? withHeader(init, name, undefined) : init,
			initOf(v),
		)
		await expectFail(authOf(v), withoutSignature, 'missing')
		await expectFail(authOf(v), withHeader(withoutSignature, v.signature, 'sha256=zz'), 'malformed')
	})

	if (v.tolerance !== undefined) {
		const tolerance = v.tolerance
		it(`rejects a timestamp more than ${tolerance} s away (stale or future)`, async () => {
			await expectOk(authOf(v), { ...initOf(v), now: v.now + tolerance * SECONDS }, v.deliveryId)
			await expectFail(
				authOf(v),
				{ ...initOf(v), now: v.now + (tolerance + 1) * SECONDS },
				'timestamp',
			)
			await expectFail(
				authOf(v),
				{ ...initOf(v), now: v.now - (tolerance + 1) * SECONDS },
				'timestamp',
			)
		})
	} else {
		it('has no timestamp: the same request verifies a day later (dedupe by delivery id)', async () => {
			await expectOk(authOf(v), { ...initOf(v), now: v.now + 86_400 * SECONDS }, v.deliveryId)
		})
	}

	it('signs what it verifies (the reference sender)', async () => {
		// The vector's other headers (delivery and message ids) go along, as a sender sends them.
		const others = Object.fromEntries(
			Object.entries(v.headers).filter(
				([name]) => name !== v.signature && !/signature|timestamp/i.test(name),
			),
		)
		const init = await signed(authOf(v), { body: v.body, headers: others, now: v.now })
		await expectOk(authOf(v), init, v.deliveryId)
		if (v.deterministic) {
			for (const name of Object.keys(v.headers)) {
				expect(header(init, name), name).toBe(v.headers[name])
			}
		}
	})
})

describe('row presets: provider-specific cases from the SDK tests', () => {
	const mux = VECTORS.find((v) => v.preset === 'mux') as Vector
	const box = VECTORS.find((v) => v.preset === 'box') as Vector
	const pagerduty = VECTORS.find((v) => v.preset === 'pagerduty') as Vector
	const hash = '854ece4c22acef7c66b57d4e504153bc512595e8e9c772ece2a68150548c19a7'

	it('mux: any v1 of several passes; another version (v2) does not', async () => {
		const multiple = `t=1565125718,v1=invalid-sig,v1=${hash}`
		await expectOk(authOf(mux), withHeader(initOf(mux), 'mux-signature', multiple))
		await expectFail(
			authOf(mux),
			withHeader(initOf(mux), 'mux-signature', `t=1565125718,v2=${hash}`),
		)
		// Two timestamps leave open which one was signed.
		await expectFail(
			authOf(mux),
			withHeader(initOf(mux), 'mux-signature', `t=1565125718,t=1,v1=${hash}`),
		)
	})

	it('line and razorpay: the SDK tests’ wrong signatures fail', async () => {
		const line = VECTORS.find((v) => v.preset === 'line') as Vector
		const razorpay = VECTORS.find((v) => v.preset === 'razorpay') as Vector
		await expectFail(
			authOf(line),
			withHeader(initOf(line), 'x-line-signature', 't7Hn4ZDHqs6e+wdvi5TyQivzie0DmMUmuXEBqyyE/tM='),
		)
		await expectFail(
			authOf(razorpay),
			withHeader(initOf(razorpay), 'X-Razorpay-Signature', 'sdfafds'),
		)
	})

	it('box: either key alone verifies; a wrong version or algorithm header fails', async () => {
		await expectOk(authOf(box, ['SamplePrimaryKey']), initOf(box), box.deliveryId)
		await expectOk(authOf(box, ['SampleSecondaryKey']), initOf(box), box.deliveryId)
		await expectFail(authOf(box, ['IncorrectKey']), initOf(box))
		await expectFail(authOf(box), withHeader(initOf(box), 'box-signature-version', '2'))
		await expectFail(authOf(box), withHeader(initOf(box), 'box-signature-algorithm', 'XXX'))
		// The SDK test's DATE_IN_FUTURE (15 min later) fails, DATE_IN_5 passes.
		await expectFail(authOf(box), { ...initOf(box), now: Date.parse('2020-01-01T00:15:00-07:00') })
		await expectOk(
			authOf(box),
			{ ...initOf(box), now: Date.parse('2020-01-01T00:05:00-07:00') },
			box.deliveryId,
		)
	})

	it('pagerduty: the SDK test mismatch fails; a list with one valid v1 passes', async () => {
		const valid = pagerduty.headers['X-PagerDuty-Signature'] as string
		const mismatch = 'v1=7020c8a7ec668a9b7012bc3dd82e483394b038f4230acc6785efbf2a7d8bcaf5'
		await expectFail(
			authOf(pagerduty),
			withHeader(initOf(pagerduty), 'X-PagerDuty-Signature', mismatch),
		)
		await expectOk(
			authOf(pagerduty),
			withHeader(initOf(pagerduty), 'X-PagerDuty-Signature', `${mismatch},${valid}`),
			pagerduty.deliveryId,
		)
	})

	it('trello: the callback URL is signed; behind a proxy publicBaseUrl restores it', async () => {
		const trello = VECTORS.find((v) => v.preset === 'trello') as Vector
		const moved = {
			...initOf(trello),
			url: 'https://worker.internal/trigger/abcdefghijklmnopqrstuvwxyz',
		}
		await expectFail(authOf(trello), moved)
		await expectOk(
			{ ...authOf(trello), publicBaseUrl: 'https://gateway.test' },
			moved,
			trello.deliveryId,
		)
	})

	it('docusign: a key in any numbered header passes, alongside signatures of other keys', async () => {
		const docusign = VECTORS.find((v) => v.preset === 'docusign') as Vector
		const valid = docusign.headers['X-DocuSign-Signature-1'] as string
		await expectOk(authOf(docusign), {
			...initOf(docusign),
			headers: {
				'X-DocuSign-Signature-1': 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
				'X-DocuSign-Signature-2': valid,
			},
		})
	})

	it('twitch: the signed id and timestamp cannot be swapped for others', async () => {
		const twitch = VECTORS.find((v) => v.preset === 'twitch') as Vector
		await expectFail(
			authOf(twitch),
			withHeader(
				initOf(twitch),
				'Twitch-Eventsub-Message-Id',
				'e76c6bd4-55c9-4987-8304-da1588d8988c',
			),
		)
		await expectFail(
			authOf(twitch),
			withHeader(
				initOf(twitch),
				'Twitch-Eventsub-Message-Timestamp',
				'2019-11-16T10:11:12.634234627Z',
			),
		)
		await expectFail(
			authOf(twitch),
			withHeader(initOf(twitch), 'Twitch-Eventsub-Message-Timestamp', '1573899072'),
		)
	})
})
