import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthenticator } from '../../src/auth'
import { expectFail, expectOk, header, request, signed, withHeader } from './support'

/**
 * Vectors: HMAC test case 2 of RFC 2202 (HMAC-SHA-1) and RFC 4231 (HMAC-SHA-256 and
 * HMAC-SHA-512): key "Jefe", data "what do ya want for nothing?".
 * https://www.rfc-editor.org/rfc/rfc2202#section-3 , https://www.rfc-editor.org/rfc/rfc4231#section-4.3
 */
const KEY = 'Jefe'
const DATA = 'what do ya want for nothing?'
const SHA1 = 'effcdf6ae5eb2fa2d27416d5f184df9c259a7c79'
const SHA256 = '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'
const SHA256_B64 = 'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM='
const SHA512 =
	'164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737'
const SHA512_B64 =
	'Fkt6e/z4GeLjlfvnO1bgo4e9ZCIugx/WECcM1+olBVSXWL91wFqZSm0DT2X48Ob9yuqxo01Ka0tjbgcKOLznNw=='
const NOW = Date.UTC(2026, 0, 1)

const generic = (extra: Record<string, unknown>) => ({
	type: 'hmac',
	header: 'x-signature',
	secrets: [KEY],
	...extra,
})
const req = (value: string, body = DATA) => ({ body, headers: { 'x-signature': value }, now: NOW })

describe('generic hmac', () => {
	it('verifies the RFC vectors for each algorithm and encoding', async () => {
		await expectOk(generic({}), req(SHA256))
		await expectOk(generic({ algorithm: 'sha1' }), req(SHA1))
		await expectOk(generic({ algorithm: 'sha512' }), req(SHA512))
		await expectOk(generic({ encoding: 'base64' }), req(SHA256_B64))
		await expectOk(generic({ algorithm: 'sha512', encoding: 'base64' }), req(SHA512_B64))
		await expectOk(generic({ prefix: 'sha256=' }), req(`sha256=${SHA256}`))
		// Hex digits in either case decode to the same bytes.
		await expectOk(generic({}), req(SHA256.toUpperCase()))
	})

	it('rejects a digest of another algorithm or in another encoding', async () => {
		await expectFail(generic({ algorithm: 'sha512' }), req(SHA256))
		await expectFail(generic({}), req(SHA1))
		await expectFail(generic({}), req(SHA256_B64))
		await expectFail(generic({ encoding: 'base64' }), req(SHA256))
	})

	it('requires the configured prefix exactly', async () => {
		await expectFail(generic({ prefix: 'sha256=' }), req(SHA256))
		await expectFail(generic({ prefix: 'sha256=' }), req(`sha1=${SHA256}`))
		await expectFail(generic({ prefix: 'sha256=' }), req(`SHA256=${SHA256}`))
	})

	it('rejects a tampered body, a wrong secret and a missing header', async () => {
		await expectFail(generic({}), req(SHA256, `${DATA} `))
		await expectFail(generic({ secrets: ['jefe'] }), req(SHA256))
		await expectFail(generic({}), withHeader(req(SHA256), 'x-signature', undefined))
		await expectFail(generic({ header: 'x-other' }), req(SHA256))
	})

	it('rejects malformed hex and base64 as a failure, without throwing', async () => {
		for (const value of [
			'',
			'z'.repeat(64),
			SHA256.slice(1),
			`${SHA256} x`,
			`g${SHA256.slice(1)}`,
		]) {
			await expectFail(generic({}), req(value))
		}
		for (const value of [
			'W9zBRr9gdU5q',
			'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM',
			'====',
			'W9z-Rr9g',
		]) {
			await expectFail(generic({ encoding: 'base64' }), req(value))
		}
	})

	it('accepts a signature made with any of several secrets (rotation)', async () => {
		await expectOk(generic({ secrets: ['new-secret', 'another', KEY] }), req(SHA256))
	})

	it('round-trips through signRequest for every algorithm and encoding', async () => {
		for (const algorithm of ['sha1', 'sha256', 'sha512']) {
			for (const encoding of ['hex', 'base64']) {
				const auth = generic({ algorithm, encoding, prefix: 'v1=', secrets: ['s1', 's2'] })
				const init = await signed(auth, { body: '{"ok":true}', now: NOW })
				expect(header(init, 'x-signature')).toMatch(/^v1=/)
				await expectOk(auth, init)
			}
		}
		const init = await signed(generic({}), { body: DATA, now: NOW })
		expect(header(init, 'x-signature')).toBe(SHA256)
	})

	it('verifies over the exact bytes, including invalid UTF-8', async () => {
		const body = new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0xc3])
		const init = await signed(generic({}), { body, now: NOW })
		await expectOk(generic({}), init)
		await expectFail(generic({}), { ...init, body: new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0xc4]) })
	})
})

describe('hmac key handling', () => {
	afterEach(() => {
		vi.restoreAllMocks()
	})

	it('imports each secret once per authenticator, not per request', async () => {
		const importKey = vi.spyOn(crypto.subtle, 'importKey')
		const authenticator = createAuthenticator({
			type: 'hmac',
			header: 'x-signature',
			secrets: ['one', 'two', KEY],
		})
		expect(importKey).not.toHaveBeenCalled()
		await Promise.all([1, 2, 3].map(() => authenticator.verify(request(req(SHA256)))))
		for (let i = 0; i < 5; i++) {
			expect(await authenticator.verify(request(req(SHA256)))).toEqual({ ok: true })
		}
		expect(importKey).toHaveBeenCalledTimes(3)
	})

	it('fails closed, never throwing, for configs that bypassed the schema', async () => {
		const configs = [
			{ type: 'hmac', secrets: [KEY] }, // no header
			{ type: 'hmac', header: 'bad header', secrets: [KEY] }, // not a header name
			{ type: 'hmac', header: 'x-signature', secrets: [''] }, // empty key
			{ type: 'hmac', header: 'x-signature', secrets: [] },
			{ type: 'hmac', preset: 'no-such-provider', secrets: [KEY] },
			{ type: 'hmac', preset: 'toString', secrets: [KEY] },
			{ type: 'hmac', preset: 'svix', secrets: ['whsec_!!not base64!!'] },
			{ type: 'mystery' },
		]
		for (const config of configs) {
			// biome-ignore lint/suspicious/noExplicitAny: deliberately invalid configs
			const authenticator = createAuthenticator(config as any)
			const result = await authenticator.verify(request(req(SHA256)))
			expect(result).toMatchObject({ ok: false })
			expect(['config', 'malformed']).toContain((result as { reason: string }).reason)
		}
	})
})
