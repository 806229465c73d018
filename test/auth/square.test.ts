import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, signed, withHeader } from './support'

/**
 * Vectors: the fixtures of Square's official Node SDK tests,
 * square/square-nodejs-sdk tests/integration/webhooks.test.ts (signature key, notification
 * URL, body and x-square-hmacsha256-signature for 'test signature validation pass', and the
 * two 'signature-key' cases with and without characters JSON may escape).
 * Scheme: https://developer.squareup.com/docs/webhooks/step3validate
 */
const KEY = 'Ibxx_5AKakO-3qeNVR61Dw'
const URL_ = 'https://webhook.site/679a4f3a-dcfa-49ee-bac5-9d0edad886b9'
const BODY =
	'{"merchant_id":"MLEFBHHSJGVHD","type":"webhooks.test_notification","event_id":"ac3ac95b-f97d-458c-a6e6-18981597e05f","created_at":"2022-07-13T20:30:59.037339943Z","data":{"type":"webhooks","id":"bc368e64-01aa-407e-b46e-3231809b1129"}}'
const SIGNATURE = 'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4='
const EVENT_ID = 'ac3ac95b-f97d-458c-a6e6-18981597e05f'
const NOW = Date.UTC(2026, 0, 1)
const auth = { type: 'hmac', preset: 'square', secrets: [KEY] }
const sdk = {
	url: URL_,
	body: BODY,
	headers: { 'x-square-hmacsha256-signature': SIGNATURE },
	now: NOW,
}

describe('square preset', () => {
	it('accepts the square-nodejs-sdk fixtures and reports the event_id', async () => {
		await expectOk(auth, sdk, EVENT_ID)
		const other = { type: 'hmac', preset: 'square', secrets: ['signature-key'] }
		const url = 'https://webhook.site/webhooks'
		await expectOk(other, {
			url,
			body: '{"data":{"type":"webhooks","id":"fake_id"}}',
			headers: { 'x-square-hmacsha256-signature': 'W3FlCNk5IA3ZQ2LHTWoajvzfaDu/OwY2tNHIHC3IUOA=' },
			now: NOW,
		})
		await expectOk(other, {
			url,
			body: '{"data":{"type":"webhooks","id":">id<"}}',
			headers: { 'x-square-hmacsha256-signature': 'Cxt7+aTi4rKgcA0bC4g9EHdVtLSDWdqccmL5MvihU4U=' },
			now: NOW,
		})
	})

	it('signs the fixture exactly as Square does (sign → verify round trip)', async () => {
		const init = await signed(auth, { url: URL_, body: BODY, now: NOW })
		expect(header(init, 'x-square-hmacsha256-signature')).toBe(SIGNATURE)
		await expectOk(auth, init, EVENT_ID)
	})

	it('signs the notification URL: publicBaseUrl replaces the origin the Worker saw', async () => {
		const proxied = {
			...sdk,
			url: 'https://triggerflare.internal/679a4f3a-dcfa-49ee-bac5-9d0edad886b9',
		}
		await expectFail(auth, proxied)
		await expectOk({ ...auth, publicBaseUrl: 'https://webhook.site' }, proxied, EVENT_ID)
	})

	it('rejects a URL mismatch, a tampered or reformatted body', async () => {
		await expectFail(auth, {
			...sdk,
			url: 'https://webhook.site/79a4f3a-dcfa-49ee-bac5-9d0edad886b9',
		})
		await expectFail(auth, { ...sdk, body: BODY.replace('2022-07-13', '2022-06-13') })
		await expectFail(auth, { ...sdk, body: JSON.stringify(JSON.parse(BODY), null, 2) })
	})

	it('rejects a wrong signature key', async () => {
		await expectFail({ ...auth, secrets: ['MCmhFRxGX82xMwg5FsaoQA'] }, sdk)
	})

	it('rejects a missing or malformed header', async () => {
		await expectFail(auth, withHeader(sdk, 'x-square-hmacsha256-signature', undefined))
		for (const value of [
			'',
			'1z2n3DEJJiUPKcPzQo1ftvbxGdw=',
			'GF4YkrJgGBDZ9NIYbNXBnMzqb2HoL4RW/S6vkZ9/2N4',
			'@@@@',
		]) {
			await expectFail(auth, withHeader(sdk, 'x-square-hmacsha256-signature', value))
		}
	})

	it('rejects the legacy HMAC-SHA1 header (x-square-signature) in place of the SHA-256 one', async () => {
		const key = await crypto.subtle.importKey(
			'raw',
			new TextEncoder().encode(KEY),
			{ name: 'HMAC', hash: 'SHA-1' },
			false,
			['sign'],
		)
		const sha1 = new Uint8Array(
			await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(URL_ + BODY)),
		)
		const legacy = btoa(String.fromCharCode(...sha1))
		await expectFail(auth, { ...sdk, headers: { 'x-square-signature': legacy } })
		await expectFail(auth, withHeader(sdk, 'x-square-hmacsha256-signature', legacy))
	})

	it('accepts a signature made with any active key (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['a-rotated-key', KEY] }, sdk, EVENT_ID)
	})
})
