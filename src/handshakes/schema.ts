/**
 * Handshake options as the admin API accepts them and as an endpoint stores them.
 * @module
 */
import { z } from 'zod'

const secret = z.string().min(1).max(1024)

/** One entry of an endpoint's `handshakes` list. */
export const handshakeConfigSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('slack') }).strict(),
	z.object({ type: z.literal('microsoft-graph') }).strict(),
	z.object({ type: z.literal('meta'), verifyToken: secret }).strict(),
	z.object({ type: z.literal('zoom'), secretToken: secret }).strict(),
	z.object({ type: z.literal('twitter'), consumerSecret: secret }).strict(),
	z.object({ type: z.literal('dropbox') }).strict(),
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
	| { type: string }

/**
 * The entry as the admin API shows it. Built field by field, never by spreading the
 * stored object, so an entry stored under a looser schema cannot leak an unknown field.
 */
export function redactHandshake(config: { type: string }): RedactedHandshake {
	switch (config.type) {
		case 'meta':
			return { type: 'meta', verifyToken: REDACTED }
		case 'zoom':
			return { type: 'zoom', secretToken: REDACTED }
		case 'twitter':
			return { type: 'twitter', consumerSecret: REDACTED }
		default:
			return { type: config.type }
	}
}

export function redactHandshakes(list: ReadonlyArray<{ type: string }>): RedactedHandshake[] {
	return list.map(redactHandshake)
}
