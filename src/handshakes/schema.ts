/**
 * Handshake options as the admin API accepts them and as an endpoint stores them.
 * @module
 */
import { z } from 'zod'
import { TOPIC_ARN } from './providers/aws-sns'

const secret = z.string().min(1).max(1024)

const topicArn = z
	.string()
	.regex(TOPIC_ARN, 'must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)')

const topicUrl = z
	.string()
	.max(2048)
	.refine((value) => URL.canParse(value), 'must be an absolute URL')

/** One entry of an endpoint's `handshakes` list. */
export const handshakeConfigSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('slack') }).strict(),
	z.object({ type: z.literal('microsoft-graph') }).strict(),
	z.object({ type: z.literal('meta'), verifyToken: secret }).strict(),
	z.object({ type: z.literal('zoom'), secretToken: secret }).strict(),
	z.object({ type: z.literal('twitter'), consumerSecret: secret }).strict(),
	z.object({ type: z.literal('dropbox') }).strict(),
	z.object({ type: z.literal('asana') }).strict(),
	z.object({ type: z.literal('rest-hooks') }).strict(),
	z.object({ type: z.literal('twitch') }).strict(),
	z.object({ type: z.literal('okta') }).strict(),
	z.object({ type: z.literal('aws-sns'), topicArns: z.array(topicArn).min(1).max(10) }).strict(),
	z.object({ type: z.literal('monday') }).strict(),
	z.object({ type: z.literal('notion') }).strict(),
	z
		.object({ type: z.literal('websub'), topics: z.array(topicUrl).min(1).max(10).optional() })
		.strict(),
	z.object({ type: z.literal('google-channel') }).strict(),
	z.object({ type: z.literal('strava'), verifyToken: secret }).strict(),
	z.object({ type: z.literal('adobe-io') }).strict(),
])

export type HandshakeConfig = z.infer<typeof handshakeConfigSchema>
export type HandshakeType = HandshakeConfig['type']

/**
 * The whole `handshakes` list. A type may appear once: the first entry of a type would
 * answer every request of that shape, so a second one could never be reached (and a
 * second `meta` token would read like rotation while silently never matching).
 */
export const handshakeListSchema = z
	.array(handshakeConfigSchema)
	.max(10)
	.refine((list) => new Set(list.map((h) => h.type)).size === list.length, {
		message: 'each handshake type may appear at most once',
	})

export const REDACTED = '[redacted]'

export type RedactedHandshake =
	| { type: 'meta'; verifyToken: typeof REDACTED }
	| { type: 'zoom'; secretToken: typeof REDACTED }
	| { type: 'twitter'; consumerSecret: typeof REDACTED }
	| { type: 'strava'; verifyToken: typeof REDACTED }
	| { type: 'aws-sns'; topicArns: string[] }
	| { type: 'websub'; topics?: string[] }
	| { type: string }

const strings = (value: unknown): string[] =>
	Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []

/**
 * The entry as the admin API shows it. Built field by field, never by spreading the
 * stored object, so an entry stored under a looser schema cannot leak an unknown field.
 * Topic lists are not secrets: they are shown so the operator can check them.
 */
export function redactHandshake(config: { type: string }): RedactedHandshake {
	const fields = config as { type: string; topicArns?: unknown; topics?: unknown }
	switch (config.type) {
		case 'meta':
			return { type: 'meta', verifyToken: REDACTED }
		case 'zoom':
			return { type: 'zoom', secretToken: REDACTED }
		case 'twitter':
			return { type: 'twitter', consumerSecret: REDACTED }
		case 'strava':
			return { type: 'strava', verifyToken: REDACTED }
		case 'aws-sns':
			return { type: 'aws-sns', topicArns: strings(fields.topicArns) }
		case 'websub':
			return fields.topics === undefined
				? { type: 'websub' }
				: { type: 'websub', topics: strings(fields.topics) }
		default:
			return { type: config.type }
	}
}

export function redactHandshakes(list: ReadonlyArray<{ type: string }>): RedactedHandshake[] {
	return list.map(redactHandshake)
}
