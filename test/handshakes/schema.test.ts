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
		]) {
			expect(handshakeConfigSchema.parse(entry)).toEqual(entry)
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
		]
		const redacted = redactHandshakes(entries)
		expect(redacted).toEqual([
			{ type: 'slack' },
			{ type: 'microsoft-graph' },
			{ type: 'meta', verifyToken: '[redacted]' },
			{ type: 'zoom', secretToken: '[redacted]' },
			{ type: 'twitter', consumerSecret: '[redacted]' },
			{ type: 'dropbox' },
		])
		expect(JSON.stringify(redacted)).not.toMatch(/secret-/)
	})

	it('drops every field of an entry it does not know', () => {
		expect(redactHandshake({ type: 'carrier-pigeon', key: 'secret' } as { type: string })).toEqual({
			type: 'carrier-pigeon',
		})
	})
})
