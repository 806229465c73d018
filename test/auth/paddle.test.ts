import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Vectors: the fixtures of Paddle's official Node SDK tests,
 * PaddleHQ/paddle-node-sdk src/__tests__/notifications/webhooks-validator.node.test.ts
 * ('Valid signature' and 'Valid signature with multiple hashes', secret 'VALID_SECRET',
 * ts=1698796800).
 * Scheme: https://developer.paddle.com/webhooks/signature-verification
 */
const SECRET = 'VALID_SECRET'
const BODY = '{"data": ["1", "2"]}'
const HEADER = 'ts=1698796800;h1=a300428748dce5c70e4da19bffd60769591ea969c99dea3105d0ec9612cf43f9'
const NOW = 1698796800 * 1000
const auth = { type: 'hmac', preset: 'paddle', secrets: [SECRET] }
const sdk = { body: BODY, headers: { 'Paddle-Signature': HEADER }, now: NOW }

describe('paddle preset', () => {
	it('accepts the paddle-node-sdk fixtures', async () => {
		await expectOk(auth, sdk)
		await expectOk(auth, {
			body: '{"data": "value"}',
			headers: {
				'Paddle-Signature':
					'ts=1698796800;h1=28981e941fae76e53db32f3d2a83cb69db41476595e84e1970a1b5d98f62b261;h1=28981e941fae76e53db32f3d2a83cb69db41476595e84e1970a1b5d98f62b261;h2=RANDOM_HASH',
			},
			now: NOW,
		})
	})

	it('accepts any of several h1 entries', async () => {
		const header = `ts=1698796800;h1=${'ab'.repeat(32)};${HEADER.split(';')[1]}`
		await expectOk(auth, withHeader(sdk, 'Paddle-Signature', header))
	})

	it('signs the fixture exactly as Paddle does, and reports event_id (sign → verify round trip)', async () => {
		const init = await signed(auth, { body: BODY, now: NOW })
		expect(header(init, 'paddle-signature')).toBe(HEADER)
		const event = '{"event_id":"evt_01h8441jx8x1q971q9ksksqh82","event_type":"transaction.paid"}'
		await expectOk(
			auth,
			await signed(auth, { body: event, now: NOW }),
			'evt_01h8441jx8x1q971q9ksksqh82',
		)
	})

	it('rejects a body with different spacing (the SDK fixture "Invalid data")', async () => {
		await expectFail(auth, { ...sdk, body: '{ "data": [ "1", "2" ]}' })
	})

	it('rejects a wrong secret', async () => {
		await expectFail({ ...auth, secrets: ['INVALID_VALID_SECRET'] }, sdk)
	})

	it('rejects missing and malformed headers', async () => {
		await expectFail(auth, withHeader(sdk, 'Paddle-Signature', undefined))
		for (const value of [
			'invalid_header',
			'h1=invalid_header',
			'ts=1698796800;h2=x',
			'ts=1234;h1=invalid_signature',
			`ts=1698796800;ts=1698796800;${HEADER.split(';')[1]}`,
		]) {
			await expectFail(auth, withHeader(sdk, 'Paddle-Signature', value))
		}
	})

	it('rejects stale and future timestamps, and a changed one', async () => {
		await expectOk(auth, { ...sdk, now: NOW + 5 * MINUTES })
		await expectFail(auth, { ...sdk, now: NOW + 5 * MINUTES + SECONDS })
		await expectFail(auth, { ...sdk, now: NOW - 5 * MINUTES - SECONDS })
		await expectFail(
			auth,
			withHeader(sdk, 'Paddle-Signature', HEADER.replace('1698796800', '1698796801')),
		)
		// Paddle's SDK allows 5 s; the endpoint can be configured as strictly.
		await expectFail({ ...auth, toleranceSeconds: 5 }, { ...sdk, now: NOW + 6 * SECONDS })
	})

	it('rejects another scheme name in place of h1', async () => {
		await expectFail(auth, withHeader(sdk, 'Paddle-Signature', HEADER.replace('h1=', 'h2=')))
	})

	it('accepts a signature made with any active secret (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['pdl_ntfset_new', SECRET] }, sdk)
	})
})
