import { describe, expect, it } from 'vitest'
import { authConfigSchema, HMAC_PRESETS, redactAuthConfig } from '../../src/auth'

const valid = (input: unknown) => authConfigSchema.safeParse(input).success
const issues = (input: unknown) =>
	authConfigSchema.safeParse(input).error?.issues.map((i) => ({ path: i.path, message: i.message }))

describe('authConfigSchema', () => {
	it('accepts the documented shapes', () => {
		expect(valid({ type: 'none' })).toBe(true)
		expect(valid({ type: 'basic', username: 'u', password: 'p' })).toBe(true)
		expect(authConfigSchema.parse({ type: 'apiKey', keys: ['k'] })).toEqual({
			type: 'apiKey',
			header: 'api-key',
			keys: ['k'],
		})
		expect(valid({ type: 'hmac', preset: 'github', secrets: ['s'] })).toBe(true)
		expect(
			valid({
				type: 'hmac',
				algorithm: 'sha256',
				header: 'x-signature',
				encoding: 'hex',
				prefix: 'sha256=',
				secrets: ['a', 'b'],
			}),
		).toBe(true)
		for (const preset of HMAC_PRESETS) {
			const secrets = ['svix', 'standard-webhooks', 'clerk', 'resend'].includes(preset)
				? ['whsec_c2VjcmV0']
				: ['s']
			expect(valid({ type: 'hmac', preset, secrets, toleranceSeconds: 60 })).toBe(true)
		}
		expect(
			valid({
				type: 'hmac',
				preset: 'twilio',
				secrets: ['t'],
				publicBaseUrl: 'https://hooks.example.com',
			}),
		).toBe(true)
	})

	it('requires a header for the generic scheme', () => {
		expect(issues({ type: 'hmac', secrets: ['s'] })).toEqual([
			{ path: ['header'], message: 'header is required unless a preset is given' },
		])
	})

	it('refuses unknown presets and generic fields next to a preset', () => {
		expect(valid({ type: 'hmac', preset: 'stirpe', secrets: ['s'] })).toBe(false)
		// Asymmetric presets are a publicKey config, not an HMAC one.
		expect(valid({ type: 'hmac', preset: 'discord', secrets: ['s'] })).toBe(false)
		expect(
			issues({
				type: 'hmac',
				preset: 'github',
				header: 'x-hub-signature',
				prefix: 'sha1=',
				secrets: ['s'],
			}),
		).toEqual([
			{ path: ['header'], message: 'header is fixed by the github preset' },
			{ path: ['prefix'], message: 'prefix is fixed by the github preset' },
		])
	})

	it('requires whsec_/base64 secrets for standard-webhooks and svix', () => {
		expect(
			valid({ type: 'hmac', preset: 'svix', secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }),
		).toBe(true)
		expect(
			valid({ type: 'hmac', preset: 'svix', secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }),
		).toBe(true)
		expect(
			issues({
				type: 'hmac',
				preset: 'standard-webhooks',
				secrets: ['whsec_c2VjcmV0', 'plain secret!'],
			}),
		).toEqual([
			{ path: ['secrets', 1], message: 'must be whsec_ followed by base64 (or the base64 alone)' },
		])
		expect(valid({ type: 'hmac', preset: 'svix', secrets: ['whsec_'] })).toBe(false)
	})

	it('refuses invalid header names, secrets, tolerances and base URLs', () => {
		expect(valid({ type: 'apiKey', header: 'x key', keys: ['k'] })).toBe(false)
		expect(valid({ type: 'hmac', header: 'x:sig', secrets: ['s'] })).toBe(false)
		expect(valid({ type: 'hmac', header: 'x-sig', secrets: [] })).toBe(false)
		expect(valid({ type: 'hmac', header: 'x-sig', secrets: [''] })).toBe(false)
		expect(valid({ type: 'hmac', header: 'x-sig', secrets: Array(11).fill('s') })).toBe(false)
		expect(valid({ type: 'hmac', preset: 'slack', secrets: ['s'], toleranceSeconds: 0 })).toBe(
			false,
		)
		expect(valid({ type: 'hmac', preset: 'slack', secrets: ['s'], toleranceSeconds: 1.5 })).toBe(
			false,
		)
		expect(
			valid({ type: 'hmac', preset: 'twilio', secrets: ['s'], publicBaseUrl: 'ftp://x.example' }),
		).toBe(false)
		expect(valid({ type: 'hmac', preset: 'twilio', secrets: ['s'], extra: 1 })).toBe(false)
	})

	it('refuses a basic username with a colon (RFC 7617) and empty credentials', () => {
		expect(valid({ type: 'basic', username: 'a:b', password: 'p' })).toBe(false)
		expect(valid({ type: 'basic', username: '', password: 'p' })).toBe(false)
		expect(valid({ type: 'basic', username: 'u', password: '' })).toBe(false)
	})
})

describe('redactAuthConfig', () => {
	it('never returns a secret', () => {
		const configs = [
			{ type: 'basic', username: 'u', password: 'TOPSECRET-1' },
			{ type: 'apiKey', keys: ['TOPSECRET-2', 'TOPSECRET-3'] },
			{ type: 'hmac', preset: 'stripe', secrets: ['TOPSECRET-4'], toleranceSeconds: 60 },
			{ type: 'hmac', header: 'x-sig', secrets: ['TOPSECRET-5'] },
		].map((c) => authConfigSchema.parse(c))
		const shown = configs.map(redactAuthConfig)
		expect(JSON.stringify(shown)).not.toContain('TOPSECRET')
		expect(shown).toEqual([
			{ type: 'basic', username: 'u', password: '[redacted]' },
			{ type: 'apiKey', header: 'api-key', keys: 2 },
			{ type: 'hmac', preset: 'stripe', secrets: 1, toleranceSeconds: 60 },
			{ type: 'hmac', header: 'x-sig', secrets: 1 },
		])
	})

	it('shows public keys as configured: they are not secret', () => {
		const auth = { type: 'publicKey', preset: 'discord', keys: ['ab'.repeat(32)] }
		expect(redactAuthConfig(authConfigSchema.parse(auth))).toEqual(auth)
	})
})
