import { describe, expect, it } from 'vitest'
import { authConfigSchema } from '../../src/auth'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Discord publishes no fixed vector; its official library's tests sign with a key pair
 * generated per run. These tests do the same: discord/discord-interactions-js
 * src/__tests__/utils/SharedTestUtils.ts (commit ed1794792cac16d09953c84fc282952a893bc2d1),
 * `generateKeyPair` and `signRequestWithKeyPair` (Ed25519 over timestamp + body, hex), with
 * its example PING and APPLICATION_COMMAND bodies; `verifyKey` in src/index.ts imports the
 * application public key from hex as we do.
 * Scheme: https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
const pingRequestBody = JSON.stringify({
	id: '787053080478613555',
	token: 'ThisIsATokenFromDiscordThatIsVeryLong',
	type: 1,
	version: 1,
})
const applicationCommandRequestBody = JSON.stringify({
	id: '787053080478613556',
	token: 'ThisIsATokenFromDiscordThatIsVeryLong',
	type: 2,
	version: 1,
	data: { id: '787053080478613554', name: 'test' },
})

const NOW = Date.UTC(2026, 0, 1)
const hex = (bytes: ArrayBuffer) =>
	Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('')

async function generateKeyPair() {
	const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
		'sign',
		'verify',
	])) as CryptoKeyPair
	return {
		privateKey: pair.privateKey,
		publicKey: hex((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer),
	}
}

/** The library test's `signRequestWithKeyPair`, with the clock pinned. */
async function signRequestWithKeyPair(body: string, privateKey: CryptoKey, now = NOW) {
	const timestamp = String(Math.round(now / 1000))
	const signature = await crypto.subtle.sign(
		{ name: 'ed25519' },
		privateKey,
		new TextEncoder().encode(timestamp + body),
	)
	return {
		body,
		headers: { 'X-Signature-Ed25519': hex(signature), 'X-Signature-Timestamp': timestamp },
		now,
	}
}

const authFor = (...keys: string[]) => ({ type: 'publicKey', preset: 'discord', keys })

describe('discord preset (Ed25519, publicKey)', () => {
	it('accepts PING and APPLICATION_COMMAND signed as the library tests sign; delivery id is the interaction id', async () => {
		const { privateKey, publicKey } = await generateKeyPair()
		await expectOk(
			authFor(publicKey),
			await signRequestWithKeyPair(pingRequestBody, privateKey),
			'787053080478613555',
		)
		await expectOk(
			authFor(publicKey),
			await signRequestWithKeyPair(applicationCommandRequestBody, privateKey),
			'787053080478613556',
		)
	})

	it('rejects a request signed by another key pair, and accepts any configured key', async () => {
		const valid = await generateKeyPair()
		const invalid = await generateKeyPair()
		const request = await signRequestWithKeyPair(pingRequestBody, invalid.privateKey)
		await expectFail(authFor(valid.publicKey), request)
		await expectOk(authFor(valid.publicKey, invalid.publicKey), request, '787053080478613555')
	})

	it('rejects a tampered body and a changed timestamp', async () => {
		const { privateKey, publicKey } = await generateKeyPair()
		const request = await signRequestWithKeyPair(pingRequestBody, privateKey)
		await expectFail(authFor(publicKey), { ...request, body: pingRequestBody.replace('1', '2') })
		await expectFail(
			authFor(publicKey),
			withHeader(request, 'X-Signature-Timestamp', String(NOW / 1000 + 1)),
		)
	})

	it('rejects a stale or future timestamp beyond the tolerance', async () => {
		const { privateKey, publicKey } = await generateKeyPair()
		const request = await signRequestWithKeyPair(pingRequestBody, privateKey)
		await expectOk(authFor(publicKey), { ...request, now: NOW + 5 * MINUTES }, '787053080478613555')
		await expectFail(authFor(publicKey), { ...request, now: NOW + 5 * MINUTES + SECONDS })
		await expectFail(authFor(publicKey), { ...request, now: NOW - 5 * MINUTES - SECONDS })
	})

	it('rejects missing and malformed headers without throwing', async () => {
		const { privateKey, publicKey } = await generateKeyPair()
		const request = await signRequestWithKeyPair(pingRequestBody, privateKey)
		const signature = header(request, 'X-Signature-Ed25519')
		for (const value of [undefined, '', 'zz', signature.slice(2), `${signature}00`]) {
			await expectFail(authFor(publicKey), withHeader(request, 'X-Signature-Ed25519', value))
		}
		for (const value of [undefined, '', '-1', '1e9', 'now']) {
			await expectFail(authFor(publicKey), withHeader(request, 'X-Signature-Timestamp', value))
		}
	})

	it('signs with a private key what the public key verifies (the reference sender)', async () => {
		const { privateKey, publicKey } = await generateKeyPair()
		const init = await signed(authFor(publicKey), { body: pingRequestBody, now: NOW }, privateKey)
		expect(header(init, 'X-Signature-Timestamp')).toBe(String(NOW / 1000))
		expect(header(init, 'X-Signature-Ed25519')).toMatch(/^[0-9a-f]{128}$/)
		await expectOk(authFor(publicKey), init, '787053080478613555')
	})

	it('refuses a public key that is not 64 hex digits on write', () => {
		for (const key of ['', 'abc', 'g'.repeat(64), 'a'.repeat(62), 'a'.repeat(66)]) {
			const parsed = authConfigSchema.safeParse(authFor(key))
			expect(parsed.success, key).toBe(false)
			expect(parsed.error?.issues[0]?.path).toEqual(['keys', 0])
		}
		expect(authConfigSchema.safeParse(authFor('A'.repeat(64))).success).toBe(true)
		// A publicKey config takes keys, not secrets, and no HMAC fields.
		expect(
			authConfigSchema.safeParse({
				type: 'publicKey',
				preset: 'discord',
				secrets: ['a'.repeat(64)],
			}).success,
		).toBe(false)
		expect(authConfigSchema.safeParse(authFor('a'.repeat(64), 'b'.repeat(64))).success).toBe(true)
		expect(
			authConfigSchema.safeParse({ type: 'publicKey', preset: 'github', keys: ['a'.repeat(64)] })
				.success,
		).toBe(false)
	})
})
