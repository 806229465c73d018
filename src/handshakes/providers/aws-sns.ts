/**
 * Amazon SNS HTTP/HTTPS subscription confirmation.
 *
 * Subscribing an HTTPS endpoint to a topic makes SNS POST a `SubscriptionConfirmation`
 * (header `x-amz-sns-message-type`, a JSON body sent as `text/plain; charset=UTF-8`) whose
 * `SubscribeURL` must be visited to confirm. SNS signs it like every message, so it is
 * answered only after the endpoint's authentication passes.
 *
 * Visiting a URL a request names is an SSRF gadget unless pinned, so the gateway confirms
 * only a subscription to a topic listed in `topicArns`, and only by a GET to the SNS host
 * of that topic's own region and partition (`https://sns.<region>.amazonaws.com`, `.com.cn`
 * in China), on `/`, for `Action=ConfirmSubscription` of that same topic, without
 * following redirects. Anything else is refused with 403 and nothing is fetched. The
 * topic list matters even with SNS signatures checked: anyone can subscribe this URL to
 * a topic of their own, and SNS would sign that confirmation too.
 * @see https://docs.aws.amazon.com/sns/latest/dg/http-subscription-confirmation-json.html
 * @see https://docs.aws.amazon.com/sns/latest/dg/SendMessageToHttp.confirm.html
 * @see https://github.com/aws/aws-js-sns-message-validator (its default host pattern)
 * @module
 */
import { stringField } from '../context'
import { confirmationFailed, emptyAnswer, verificationFailed } from '../respond'
import type { HandshakeProvider } from '../types'

/** A hung SNS call must not hold the handshake (and SNS's own delivery attempt) open. */
const CONFIRM_TIMEOUT_MS = 10_000

/** `arn:<partition>:sns:<region>:<account>:<topic>`, as the config schema also checks it. */
export const TOPIC_ARN =
	/^arn:(aws|aws-cn|aws-us-gov):sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/

/** The only host a confirmation for `topicArn` may go to, or null for a malformed ARN. */
export function snsHostFor(topicArn: string): string | null {
	const parts = TOPIC_ARN.exec(topicArn)
	if (!parts) return null
	const [, partition, region] = parts
	return `sns.${region}.amazonaws.com${partition === 'aws-cn' ? '.cn' : ''}`
}

/** The SubscribeURL if it is exactly the confirmation of `topicArn` on its pinned host. */
export function confirmationUrl(subscribeUrl: string, topicArn: string): URL | null {
	const host = snsHostFor(topicArn)
	if (!host) return null
	let url: URL
	try {
		url = new URL(subscribeUrl)
	} catch {
		return null
	}
	const pinned =
		url.protocol === 'https:' &&
		url.hostname === host &&
		url.port === '' &&
		url.username === '' &&
		url.password === '' &&
		url.pathname === '/' &&
		url.searchParams.get('Action') === 'ConfirmSubscription' &&
		url.searchParams.get('TopicArn') === topicArn &&
		url.searchParams.get('Token') !== null
	return pinned ? url : null
}

export const awsSns: HandshakeProvider<{ type: 'aws-sns'; topicArns: string[] }> = {
	signedByProvider: true,
	match(config, context) {
		if (context.header('x-amz-sns-message-type') !== 'SubscriptionConfirmation') return null
		const body = context.jsonObjectOfAnyType()
		if (body?.Type !== 'SubscriptionConfirmation') return null
		const topicArn = stringField(body, 'TopicArn')
		const subscribeUrl = stringField(body, 'SubscribeURL')
		if (topicArn === null || subscribeUrl === null) return null
		return async () => {
			const url = config.topicArns.includes(topicArn)
				? confirmationUrl(subscribeUrl, topicArn)
				: null
			if (!url) return verificationFailed()
			try {
				const response = await fetch(url.href, {
					method: 'GET',
					redirect: 'manual',
					signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS),
				})
				// The body (a ConfirmSubscriptionResponse XML) is not needed: free the connection.
				await response.body?.cancel()
				return response.ok ? emptyAnswer() : confirmationFailed()
			} catch {
				return confirmationFailed()
			}
		}
	},
}
