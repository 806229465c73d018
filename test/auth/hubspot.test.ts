import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Vector: the v3 fixture of HubSpot's official Python client,
 * HubSpot/hubspot-api-python tests/spec/utils/test_signature.py `test_get_signature__v3`
 * (client secret, POST, https://www.example.com/webhook_uri, body
 * "{'example_field':'example_value'}", timestamp 1693657560000, signature
 * K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y=).
 * Scheme and URI decoding table:
 * https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 */
const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy'
const URL_ = 'https://www.example.com/webhook_uri'
const BODY = "{'example_field':'example_value'}"
const TIMESTAMP = '1693657560000'
const SIGNATURE = 'K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y='
const NOW = Number(TIMESTAMP)
const auth = { type: 'hmac', preset: 'hubspot', secrets: [SECRET] }
const sdk = {
	url: URL_,
	body: BODY,
	headers: { 'X-HubSpot-Request-Timestamp': TIMESTAMP, 'X-HubSpot-Signature-v3': SIGNATURE },
	now: NOW,
}

describe('hubspot preset (signature v3)', () => {
	it('accepts the hubspot-api-python fixture', async () => {
		await expectOk(auth, sdk)
	})

	it('signs the fixture exactly as HubSpot does (sign → verify round trip)', async () => {
		const init = await signed(auth, { url: URL_, body: BODY, now: NOW })
		expect(header(init, 'x-hubspot-request-timestamp')).toBe(TIMESTAMP)
		expect(header(init, 'x-hubspot-signature-v3')).toBe(SIGNATURE)
		await expectOk(
			auth,
			await signed(auth, {
				method: 'GET',
				url: `${URL_}?portalId=62515&userEmail=a%40b.c`,
				now: NOW,
			}),
		)
	})

	it('decodes exactly the percent-encodings HubSpot lists in the URI', async () => {
		// HubSpot signs the decoded URI; the Worker sees the encoded one.
		const init = await signed(auth, {
			url: `${URL_}?email=a%40b.c&q=a%20b%3Bc`,
			body: BODY,
			now: NOW,
		})
		const key = await crypto.subtle.importKey(
			'raw',
			new TextEncoder().encode(SECRET),
			{ name: 'HMAC', hash: 'SHA-256' },
			false,
			['sign'],
		)
		const source = `POST${URL_}?email=a@b.c&q=a%20b;c${BODY}${TIMESTAMP}`
		const mac = new Uint8Array(
			await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(source)),
		)
		expect(header(init, 'x-hubspot-signature-v3')).toBe(btoa(String.fromCharCode(...mac)))
		await expectOk(auth, { ...init, url: `${URL_}?email=a%40b.c&q=a%20b%3Bc` })
	})

	it('uses publicBaseUrl when configured', async () => {
		const proxied = { ...sdk, url: 'https://triggerflare.internal/webhook_uri' }
		await expectFail(auth, proxied)
		await expectOk({ ...auth, publicBaseUrl: 'https://www.example.com' }, proxied)
	})

	it('rejects a tampered body, method or URL', async () => {
		await expectFail(auth, { ...sdk, body: "{'example_field':'other_value'}" })
		await expectFail(auth, { ...sdk, method: 'PUT' })
		await expectFail(auth, { ...sdk, url: `${URL_}/` })
		await expectFail(auth, { ...sdk, url: URL_.replace('https:', 'http:') })
	})

	it('rejects a wrong client secret', async () => {
		await expectFail({ ...auth, secrets: ['zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'] }, sdk)
	})

	it('rejects missing and malformed headers', async () => {
		await expectFail(auth, withHeader(sdk, 'X-HubSpot-Signature-v3', undefined))
		await expectFail(auth, withHeader(sdk, 'X-HubSpot-Request-Timestamp', undefined))
		await expectFail(auth, withHeader(sdk, 'X-HubSpot-Signature-v3', 'not base64!'))
		await expectFail(auth, withHeader(sdk, 'X-HubSpot-Request-Timestamp', '1693657560000.0'))
	})

	it('rejects a v1/v2-style hex SHA-256 digest in the v3 header', async () => {
		const hex = Array.from(atob(SIGNATURE), (c) =>
			c.charCodeAt(0).toString(16).padStart(2, '0'),
		).join('')
		await expectFail(auth, withHeader(sdk, 'X-HubSpot-Signature-v3', hex))
	})

	it('rejects stale and future timestamps (milliseconds), and a changed one', async () => {
		await expectOk(auth, { ...sdk, now: NOW + 5 * MINUTES })
		await expectFail(auth, { ...sdk, now: NOW + 5 * MINUTES + SECONDS })
		await expectFail(auth, { ...sdk, now: NOW - 5 * MINUTES - SECONDS })
		await expectFail(auth, withHeader(sdk, 'X-HubSpot-Request-Timestamp', '1693657560001'))
	})

	it('accepts a signature made with any active secret (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['new-client-secret', SECRET] }, sdk)
	})
})
