import { describe, expect, it } from 'vitest'
import {
	handshakeConfigSchema,
	handshakeListSchema,
	redactHandshake,
	redactHandshakes,
} from '../../src/handshakes'

describe('handshakeConfigSchema', () => {
	it('accepts each type with its options', () => {
		for (const entry of [
			{ type: 'slack' },
			{ type: 'microsoft-graph' },
			{ type: 'meta', verifyToken: 'v' },
			{ type: 'zoom', secretToken: 's' },
			{ type: 'twitter', consumerSecret: 'c' },
			{ type: 'dropbox' },
			{ type: 'asana' },
			{ type: 'rest-hooks' },
			{ type: 'twitch' },
			{ type: 'okta' },
			{ type: 'aws-sns', topicArns: ['arn:aws:sns:us-west-2:123456789012:MyTopic'] },
			{
				type: 'aws-sns',
				topicArns: [
					'arn:aws-cn:sns:cn-north-1:123456789012:Orders.fifo',
					'arn:aws-us-gov:sns:us-gov-west-1:123456789012:gov_topic-1',
				],
			},
			{ type: 'monday' },
			{ type: 'notion' },
			{ type: 'websub' },
			{ type: 'websub', topics: ['https://www.youtube.com/xml/feeds/videos.xml?channel_id=UC1'] },
			{ type: 'google-channel' },
			{ type: 'strava', verifyToken: 'STRAVA' },
			{ type: 'adobe-io' },
		]) {
			expect(handshakeConfigSchema.parse(entry)).toEqual(entry)
		}
	})

	it('names the offending field of a bad option', () => {
		const cases: Array<[unknown, string]> = [
			[{ type: 'aws-sns' }, 'topicArns'],
			[{ type: 'aws-sns', topicArns: [] }, 'topicArns'],
			[{ type: 'aws-sns', topicArns: ['arn:aws:sqs:us-west-2:123456789012:q'] }, 'topicArns.0'],
			[{ type: 'aws-sns', topicArns: ['https://sns.us-west-2.amazonaws.com/'] }, 'topicArns.0'],
			[{ type: 'websub', topics: ['/relative/feed'] }, 'topics.0'],
			[{ type: 'websub', topics: [] }, 'topics'],
			[{ type: 'strava' }, 'verifyToken'],
			[{ type: 'strava', verifyToken: '' }, 'verifyToken'],
			[{ type: 'twitch', secret: 'x' }, ''],
		]
		for (const [entry, path] of cases) {
			const result = handshakeConfigSchema.safeParse(entry)
			expect(result.success).toBe(false)
			const paths = result.error?.issues.map((issue) => issue.path.join('.'))
			expect(paths).toContain(path)
		}
	})

	it('rejects unknown types, missing or empty secrets, and unknown options', () => {
		for (const entry of [
			{ type: 'carrier-pigeon' },
			{ type: 'meta' },
			{ type: 'meta', verifyToken: '' },
			{ type: 'zoom', verifyToken: 's' },
			{ type: 'twitter', consumerSecret: 7 },
			{ type: 'slack', signingSecret: 'x' },
			{ type: 'dropbox', challenge: 'x' },
			{ type: 'notion', verificationToken: 'secret_x' },
			{ type: 'asana', secret: 'x' },
			{ type: 'trello' },
			{},
		]) {
			expect(handshakeConfigSchema.safeParse(entry).success).toBe(false)
		}
	})
})

describe('handshakeListSchema', () => {
	it('accepts distinct types and refuses a type twice (the second could never answer)', () => {
		expect(handshakeListSchema.safeParse([{ type: 'slack' }, { type: 'dropbox' }]).success).toBe(
			true,
		)
		const twice = handshakeListSchema.safeParse([
			{ type: 'meta', verifyToken: 'a' },
			{ type: 'meta', verifyToken: 'b' },
		])
		expect(twice.success).toBe(false)
	})
})

describe('redactHandshake', () => {
	it('never returns a secret, only that one is set', () => {
		const entries = [
			{ type: 'slack' },
			{ type: 'microsoft-graph' },
			{ type: 'meta', verifyToken: 'secret-verify' },
			{ type: 'zoom', secretToken: 'secret-zoom' },
			{ type: 'twitter', consumerSecret: 'secret-twitter' },
			{ type: 'dropbox' },
			{ type: 'strava', verifyToken: 'secret-strava' },
			{ type: 'aws-sns', topicArns: ['arn:aws:sns:us-west-2:123456789012:MyTopic'] },
			{ type: 'websub', topics: ['https://example.com/feed'] },
			{ type: 'websub' },
			{ type: 'notion' },
		]
		const redacted = redactHandshakes(entries)
		expect(redacted).toEqual([
			{ type: 'slack' },
			{ type: 'microsoft-graph' },
			{ type: 'meta', verifyToken: '[redacted]' },
			{ type: 'zoom', secretToken: '[redacted]' },
			{ type: 'twitter', consumerSecret: '[redacted]' },
			{ type: 'dropbox' },
			{ type: 'strava', verifyToken: '[redacted]' },
			// Topic lists are not secrets: the operator checks them.
			{ type: 'aws-sns', topicArns: ['arn:aws:sns:us-west-2:123456789012:MyTopic'] },
			{ type: 'websub', topics: ['https://example.com/feed'] },
			{ type: 'websub' },
			{ type: 'notion' },
		])
		expect(JSON.stringify(redacted)).not.toMatch(/secret-/)
	})

	it('keeps only strings in a stored topic list', () => {
		expect(
			redactHandshake({ type: 'aws-sns', topicArns: ['arn:a', { secret: 'x' }, 7] } as {
				type: string
			}),
		).toEqual({ type: 'aws-sns', topicArns: ['arn:a'] })
	})

	it('drops every field of an entry it does not know', () => {
		expect(redactHandshake({ type: 'carrier-pigeon', key: 'secret' } as { type: string })).toEqual({
			type: 'carrier-pigeon',
		})
	})
})
