import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, signed, withHeader } from './support'

/**
 * Vector: the fixture of Shopify's official @shopify/shopify-api tests,
 * Shopify/shopify-app-js packages/apps/shopify-api/lib/webhooks/__tests__/validate.test.ts
 * ('returns true for valid request': body '{"foo": "bar"}', apiSecretKey 'test_secret_key'
 * from lib/__tests__/test-config.ts, hmac 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g=',
 * X-Shopify-Webhook-Id '123456789').
 * Scheme: https://shopify.dev/docs/apps/build/webhooks/subscribe/https
 */
const SECRET = 'test_secret_key'
const BODY = '{"foo": "bar"}'
const HMAC = 'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g='
const NOW = Date.UTC(2026, 0, 1)
const auth = { type: 'hmac', preset: 'shopify', secrets: [SECRET] }
const sdk = {
	body: BODY,
	headers: {
		'X-Shopify-Hmac-Sha256': HMAC,
		'X-Shopify-Webhook-Id': '123456789',
		'X-Shopify-Topic': 'products/create',
	},
	now: NOW,
}

describe('shopify preset', () => {
	it('accepts the @shopify/shopify-api test fixture and reports X-Shopify-Webhook-Id', async () => {
		await expectOk(auth, sdk, '123456789')
	})

	it('signs the fixture exactly as Shopify does (sign → verify round trip)', async () => {
		const init = await signed(auth, { body: BODY, now: NOW })
		expect(header(init, 'x-shopify-hmac-sha256')).toBe(HMAC)
		await expectOk(auth, await signed(auth, { body: '{"id":1,"title":"ünïcødé"}', now: NOW }))
	})

	it('rejects a tampered body', async () => {
		await expectFail(auth, { ...sdk, body: '{"foo": "baz"}' })
		await expectFail(auth, { ...sdk, body: '{"foo":"bar"}' })
	})

	it('rejects a wrong secret', async () => {
		await expectFail({ ...auth, secrets: ['test_secret_key2'] }, sdk)
	})

	it('rejects a missing header', async () => {
		await expectFail(auth, withHeader(sdk, 'X-Shopify-Hmac-Sha256', undefined))
	})

	it('rejects malformed base64 and a hex-encoded digest', async () => {
		for (const value of [
			'',
			'B23tXN681gZ0qIWNRrgtzBE9XSDo5yaUu6wfmhu3a7g',
			'B23tXN681gZ0qIWN!!',
			'%%%%',
		]) {
			await expectFail(auth, withHeader(sdk, 'X-Shopify-Hmac-Sha256', value))
		}
		const hex = Array.from(atob(HMAC), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(
			'',
		)
		await expectFail(auth, withHeader(sdk, 'X-Shopify-Hmac-Sha256', hex))
	})

	it('rejects a prefixed digest (Shopify sends it bare)', async () => {
		await expectFail(auth, withHeader(sdk, 'X-Shopify-Hmac-Sha256', `sha256=${HMAC}`))
	})

	it('accepts a signature made with any active secret (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['new_secret_key', SECRET] }, sdk, '123456789')
	})
})
