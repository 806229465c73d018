/**
 * WebSub (formerly PubSubHubbub) verification of intent, as hubs such as YouTube's send it.
 *
 * The hub GETs the callback with `hub.mode` (`subscribe` or `unsubscribe`), `hub.topic`,
 * `hub.challenge` and, for subscriptions, `hub.lease_seconds`. A subscriber that agrees
 * answers 2xx with a body equal to `hub.challenge`; one that does not MUST answer 404.
 * With `topics` configured, only those topic URLs are agreed to: anyone can ask a hub to
 * subscribe this URL to any feed, so listing the topics is what makes the check mean
 * something.
 * @see https://www.w3.org/TR/websub/#hub-verifies-intent
 * @module
 */
import { echoText, verificationNotAgreed } from '../respond'
import type { HandshakeProvider } from '../types'

export const websub: HandshakeProvider<{ type: 'websub'; topics?: string[] | undefined }> = {
	signedByProvider: false,
	match(config, context) {
		if (context.method !== 'GET') return null
		const mode = context.query('hub.mode')
		if (mode !== 'subscribe' && mode !== 'unsubscribe') return null
		const topic = context.query('hub.topic')
		const challenge = context.query('hub.challenge')
		if (topic === null || challenge === null) return null
		return async () =>
			!config.topics || config.topics.includes(topic)
				? echoText(challenge)
				: verificationNotAgreed()
	},
}
