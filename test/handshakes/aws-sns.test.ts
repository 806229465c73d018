import { afterEach, describe, expect, it, vi } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectEmpty, expectRefusal, request } from './support'

/**
 * The SubscriptionConfirmation AWS documents at
 * https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html
 * (headers, text/plain content type and body as published there).
 */
const TOPIC = 'arn:aws:sns:us-west-2:123456789012:MyTopic'
const TOKEN =
	'2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a747ba6f3beb71854e285d6ad02428b09ceece29417f1f02d609c582afbacc99c583a916b9981dd2728f4ae6fdb82efd087cc3b7849e05798d2d2785c03b0879594eeac82c01f235d0e717736'
const SUBSCRIBE_URL = `https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=${TOKEN}`
const DOCUMENTED = {
	Type: 'SubscriptionConfirmation',
	MessageId: '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
	Token: TOKEN,
	TopicArn: TOPIC,
	Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
	SubscribeURL: SUBSCRIBE_URL,
	Timestamp: '2012-04-26T20:45:04.751Z',
	SignatureVersion: '1',
	Signature:
		'EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=',
	SigningCertURL:
		'https://sns.us-west-2.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem',
}
const HEADERS = {
	'x-amz-sns-message-type': 'SubscriptionConfirmation',
	'x-amz-sns-message-id': '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
	'x-amz-sns-topic-arn': TOPIC,
	'Content-Type': 'text/plain; charset=UTF-8',
	'User-Agent': 'Amazon Simple Notification Service Agent',
}

const configs = [{ type: 'aws-sns' as const, topicArns: [TOPIC] }]
const confirmation = (body: object = DOCUMENTED, headers: Record<string, string> = HEADERS) =>
	request('POST', '', headers, body)

/** Stands in for SNS's ConfirmSubscription; records every URL the gateway fetches. */
function mockSns(answer: () => Response | Promise<Response>) {
	return vi.spyOn(globalThis, 'fetch').mockImplementation(async () => answer())
}

const confirmed = () =>
	new Response(
		'<ConfirmSubscriptionResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-west-2:123456789012:MyTopic:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>',
		{ status: 200, headers: { 'content-type': 'text/xml' } },
	)

afterEach(() => {
	vi.restoreAllMocks()
})

describe('aws-sns SubscriptionConfirmation', () => {
	it('confirms the documented message by GETting its SubscribeURL, after authentication', async () => {
		const fetch = mockSns(confirmed)
		const match = findHandshake(configs, confirmation())
		expect(match).toMatchObject({ type: 'aws-sns', signedByProvider: true })
		expect(fetch).not.toHaveBeenCalled()
		await expectEmpty(await answerOf(match))
		expect(fetch).toHaveBeenCalledTimes(1)
		const [url, init] = fetch.mock.calls[0] as [string, RequestInit]
		expect(url).toBe(SUBSCRIBE_URL)
		expect(init).toMatchObject({ method: 'GET', redirect: 'manual' })
	})

	it('pins the host to the topic’s own region, and .amazonaws.com.cn for the China partition', async () => {
		const fetch = mockSns(confirmed)
		const china = 'arn:aws-cn:sns:cn-north-1:123456789012:Orders.fifo'
		const url = `https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription&TopicArn=${china}&Token=t`
		const match = findHandshake(
			[{ type: 'aws-sns', topicArns: [TOPIC, china] }],
			confirmation({ ...DOCUMENTED, TopicArn: china, SubscribeURL: url }),
		)
		await expectEmpty(await answerOf(match))
		expect(fetch.mock.calls[0]?.[0]).toBe(url)
	})

	it('refuses a topic it was not told to accept with 403, fetching nothing', async () => {
		const fetch = mockSns(confirmed)
		const other = 'arn:aws:sns:us-west-2:210987654321:TheirTopic'
		const match = findHandshake(
			configs,
			confirmation({
				...DOCUMENTED,
				TopicArn: other,
				SubscribeURL: SUBSCRIBE_URL.replace(TOPIC, other),
			}),
		)
		await expectRefusal(await answerOf(match), 403, [TOKEN, other])
		expect(fetch).not.toHaveBeenCalled()
	})

	it('refuses every SubscribeURL that is not the pinned confirmation, fetching nothing', async () => {
		const fetch = mockSns(confirmed)
		const query = `?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=${TOKEN}`
		for (const url of [
			`https://attacker.example/${query}`,
			`https://sns.us-west-2.amazonaws.com.attacker.example/${query}`,
			`https://sns.us-east-1.amazonaws.com/${query}`,
			`https://sns.us-west-2.amazonaws.com.cn/${query}`,
			`http://sns.us-west-2.amazonaws.com/${query}`,
			`https://sns.us-west-2.amazonaws.com:8443/${query}`,
			`https://user:pass@sns.us-west-2.amazonaws.com/${query}`,
			`https://sns.us-west-2.amazonaws.com/redirect${query}`,
			`https://sns.us-west-2.amazonaws.com/?Action=Unsubscribe&TopicArn=${TOPIC}&Token=${TOKEN}`,
			`https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}:Other&Token=${TOKEN}`,
			`https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}`,
			'not a url',
		]) {
			const match = findHandshake(configs, confirmation({ ...DOCUMENTED, SubscribeURL: url }))
			await expectRefusal(await answerOf(match), 403, [TOKEN])
		}
		expect(fetch).not.toHaveBeenCalled()
	})

	it('answers 502 (so SNS redelivers) when SNS refuses, redirects or cannot be reached', async () => {
		for (const answer of [
			() => new Response('<ErrorResponse/>', { status: 403 }),
			() => new Response(null, { status: 302, headers: { location: 'https://attacker.example/' } }),
			() => {
				throw new TypeError('Network connection lost.')
			},
		]) {
			mockSns(answer)
			const match = findHandshake(configs, confirmation())
			await expectRefusal(await answerOf(match), 502, [TOKEN])
			vi.restoreAllMocks()
		}
	})

	it('leaves notifications, unsubscribe confirmations and unlabelled messages alone', () => {
		const notification = {
			Type: 'Notification',
			MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
			TopicArn: TOPIC,
			Subject: 'My First Message',
			Message: 'Hello world!',
			Timestamp: '2012-05-02T00:54:06.655Z',
			SubscribeURL: SUBSCRIBE_URL,
		}
		expect(
			findHandshake(
				configs,
				confirmation(notification, { ...HEADERS, 'x-amz-sns-message-type': 'Notification' }),
			),
		).toBeNull()
		// The header and the signed body must agree.
		expect(findHandshake(configs, confirmation(notification))).toBeNull()
		expect(
			findHandshake(
				configs,
				confirmation(
					{ ...DOCUMENTED, Type: 'UnsubscribeConfirmation' },
					{ ...HEADERS, 'x-amz-sns-message-type': 'UnsubscribeConfirmation' },
				),
			),
		).toBeNull()
		const { 'x-amz-sns-message-type': _, ...unlabelled } = HEADERS
		expect(findHandshake(configs, confirmation(DOCUMENTED, unlabelled))).toBeNull()
		const { SubscribeURL: __, ...noUrl } = DOCUMENTED
		expect(findHandshake(configs, confirmation(noUrl))).toBeNull()
		expect(findHandshake(configs, request('POST', '', HEADERS, '{"Type":'))).toBeNull()
	})
})
