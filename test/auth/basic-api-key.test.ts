import { describe, expect, it } from 'vitest'
import { createAuthenticator, signRequest } from '../../src/auth'
import { config, expectFail, expectOk, request, signed } from './support'

/**
 * Basic: the worked example of RFC 7617 section 2 (user "Aladdin", password
 * "open sesame" → `Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==`), https://www.rfc-editor.org/rfc/rfc7617#section-2,
 * and its UTF-8 example in section 2.1 (user "test", password "123£" →
 * `dGVzdDoxMjPCow==`).
 */
const NOW = Date.UTC(2026, 0, 1)
const CHALLENGE = { ok: false, headers: { 'WWW-Authenticate': 'Basic realm="triggerflare"' } }
const basic = { type: 'basic', username: 'Aladdin', password: 'open sesame' }
const withAuthorization = (value: string) => ({ headers: { Authorization: value }, now: NOW })

async function basicResult(value: string | undefined, auth: unknown = basic) {
	return createAuthenticator(config(auth)).verify(
		request(value === undefined ? { now: NOW } : withAuthorization(value)),
	)
}

describe('none', () => {
	it('accepts everything, also with no config at all', async () => {
		await expectOk({ type: 'none' }, { now: NOW })
		expect(await createAuthenticator(undefined).verify(request({ now: NOW }))).toEqual({ ok: true })
		expect(
			await signRequest(config({ type: 'none' }), {
				method: 'POST',
				url: 'https://x.test/',
				headers: {},
				body: new Uint8Array(),
				now: NOW,
			}),
		).toEqual({})
	})
})

describe('basic', () => {
	it('accepts the RFC 7617 examples, with any scheme case and spacing', async () => {
		expect(await basicResult('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({ ok: true })
		expect(await basicResult('basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({ ok: true })
		expect(await basicResult('BASIC   QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({ ok: true })
		expect(
			await basicResult('Basic dGVzdDoxMjPCow==', {
				type: 'basic',
				username: 'test',
				password: '123£',
			}),
		).toEqual({ ok: true })
	})

	it('answers every failure with the WWW-Authenticate challenge', async () => {
		for (const value of [
			undefined,
			'',
			'Basic',
			'Bearer QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
			'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ', // unpadded
			'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==x',
			'Basic !!!!',
			`Basic ${btoa('Aladdin:open sesamE')}`,
			`Basic ${btoa('aladdin:open sesame')}`,
			`Basic ${btoa('Aladdin')}`, // no colon
			`Basic ${btoa(':')}`,
			`Basic ${btoa('Aladdin:open sesame:')}`,
			'Basic /w==', // not UTF-8
		]) {
			const result = await basicResult(value)
			expect(result).toMatchObject(CHALLENGE)
			// The reason is for the operator's counters: absent, unreadable or wrong.
			expect(['missing', 'malformed', 'signature']).toContain((result as { reason: string }).reason)
		}
	})

	it('keeps colons after the first one in the password', async () => {
		const auth = { type: 'basic', username: 'user', password: 'pa:ss:word' }
		expect(await basicResult(`Basic ${btoa('user:pa:ss:word')}`, auth)).toEqual({ ok: true })
	})

	it('never accepts empty credentials, even from a config that bypassed the schema', async () => {
		const authenticator = createAuthenticator({ type: 'basic', username: '', password: '' })
		expect(await authenticator.verify(request(withAuthorization(`Basic ${btoa(':')}`)))).toEqual({
			...CHALLENGE,
			reason: 'config',
		})
	})

	it('round-trips through signRequest, UTF-8 included', async () => {
		const auth = { type: 'basic', username: 'zoë', password: 'pässwörd ✓' }
		const init = await signed(auth, { now: NOW })
		await expectOk(auth, init)
		expect(
			await signRequest(config(basic), {
				method: 'POST',
				url: 'https://x.test/',
				headers: {},
				body: new Uint8Array(),
				now: NOW,
			}),
		).toEqual({
			Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
		})
	})
})

describe('apiKey', () => {
	const auth = { type: 'apiKey', keys: ['key-one', 'key-two'] }

	it('accepts any configured key in the default api-key header', async () => {
		await expectOk(auth, { headers: { 'api-key': 'key-one' }, now: NOW })
		await expectOk(auth, { headers: { 'API-Key': 'key-two' }, now: NOW })
	})

	it('uses the configured header', async () => {
		const custom = { ...auth, header: 'x-webhook-token' }
		await expectOk(custom, { headers: { 'x-webhook-token': 'key-two' }, now: NOW })
		await expectFail(custom, { headers: { 'api-key': 'key-two' }, now: NOW })
	})

	it('rejects a missing, wrong, partial or extended key', async () => {
		const cases: Record<string, string>[] = [
			{},
			{ 'api-key': '' },
			{ 'api-key': 'key-three' },
			{ 'api-key': 'key-on' },
			{ 'api-key': 'key-onex' },
			{ 'api-key': 'key-one,key-two' },
			{ authorization: 'key-one' },
		]
		for (const headers of cases) {
			await expectFail(auth, { headers, now: NOW })
		}
	})

	it('round-trips through signRequest with the first key', async () => {
		const init = await signed(auth, { now: NOW })
		expect(init.headers).toEqual({ 'api-key': 'key-one' })
		await expectOk(auth, init)
	})

	it('fails closed with no keys (a config that bypassed the schema)', async () => {
		const authenticator = createAuthenticator({ type: 'apiKey', header: 'api-key', keys: [] })
		expect(await authenticator.verify(request({ headers: { 'api-key': '' }, now: NOW }))).toEqual({
			ok: false,
			reason: 'config',
		})
	})
})
