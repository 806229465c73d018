import {
	getExpectedBodyHash,
	getExpectedTwilioSignature,
	validateRequest,
	validateRequestWithBody,
} from 'twilio/lib/webhooks/webhooks'
import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, signed, withHeader } from './support'

/**
 * Vectors:
 * - Twilio's documented example ("Secure webhooks",
 *   https://www.twilio.com/docs/usage/webhooks/webhooks-security): auth token 12345, URL
 *   https://mycompany.com/myapp.php?foo=1&bar=2, the five POST parameters below, signature
 *   0/KCTR6DLpKmkAf8muzZqo1nDgQ=.
 * - The fixtures of twilio-node's own tests, twilio/twilio-node spec/validation.spec.js
 *   (form parameters, bodySHA256 JSON bodies, default port, repeated parameters).
 * - Signatures produced by the official SDK, twilio@6.2.0 `getExpectedTwilioSignature`,
 *   and ours checked by its `validateRequest` / `validateRequestWithBody`.
 */
const TOKEN = '12345'
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2'
const DOC_PARAMS = {
	CallSid: 'CA1234567890ABCDE',
	Caller: '+12349013030',
	Digits: '1234',
	From: '+12349013030',
	To: '+18005551212',
}
const NOW = Date.UTC(2026, 0, 1)
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
const auth = { type: 'hmac', preset: 'twilio', secrets: [TOKEN] }

function form(params: Record<string, string | string[]>, order?: string[]): string {
	const search = new URLSearchParams()
	for (const name of order ?? Object.keys(params)) {
		const value = params[name] ?? []
		for (const v of Array.isArray(value) ? value : [value]) search.append(name, v)
	}
	return search.toString()
}

const doc = {
	url: DOC_URL,
	// Deliberately not in sorted order: the signature sorts them.
	body: form(DOC_PARAMS, ['To', 'CallSid', 'Digits', 'From', 'Caller']),
	headers: { ...FORM, 'X-Twilio-Signature': '0/KCTR6DLpKmkAf8muzZqo1nDgQ=' },
	now: NOW,
}

// twilio-node spec/validation.spec.js
const SPEC_PARAMS = { ...DOC_PARAMS, Caller: '+14158675309', From: '+14158675309' }
const SPEC_BODY = '{"property": "value", "boolean": true}'
const SPEC_BODY_HASH = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620'
const json = (url: string, body: string, signature: string) => ({
	url,
	body,
	headers: { 'Content-Type': 'application/json', 'X-Twilio-Signature': signature },
	now: NOW,
})

describe('twilio preset', () => {
	it("accepts Twilio's documented example", async () => {
		await expectOk(auth, doc)
	})

	it('accepts the twilio-node test fixtures', async () => {
		const post = (url: string, params: Record<string, string | string[]>, signature: string) => ({
			url,
			body: form(params),
			headers: { ...FORM, 'X-Twilio-Signature': signature },
			now: NOW,
		})
		await expectOk(auth, post(DOC_URL, SPEC_PARAMS, 'RSOYDt4T1cUTdK1PDd93/VVr8B8='))
		// Signed over https://mycompany.com:443/...: the default port is tried too.
		await expectOk(auth, post(DOC_URL, SPEC_PARAMS, 'kvajT1Ptam85bY51eRf/AJRuM3w='))
		// A repeated parameter, its values in either order.
		const address = ['+1325xxxxxxx', '+1415xxxxxxx']
		const signature = '83O6e2vORAoJHUNzJjDWN1jz+BA='
		await expectOk(auth, post(DOC_URL, { 'MessagingBinding.Address': address }, signature))
		await expectOk(
			auth,
			post(DOC_URL, { 'MessagingBinding.Address': [...address].reverse() }, signature),
		)
		await expectOk(
			auth,
			post(
				DOC_URL,
				{ Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] },
				'IK+Dwps556ElfBT0I3Rgjkr1wJU=',
			),
		)
		// JSON bodies bound by bodySHA256.
		await expectOk(
			auth,
			json(`${DOC_URL}&bodySHA256=${SPEC_BODY_HASH}`, SPEC_BODY, 'a9nBmqA0ju/hNViExpshrM61xv4='),
		)
		await expectOk(
			auth,
			json(
				`${DOC_URL}&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a`,
				'{}',
				'Ldidvp12m26NI7eqEvxnEpkd9Hc=',
			),
		)
	})

	it('accepts signatures made by twilio getExpectedTwilioSignature', async () => {
		const url = 'https://gateway.test/trigger/tw1?instance=a%20b'
		const params = {
			Body: 'Héllo + wörld & more',
			From: '+15005550006',
			MessageSid: 'SM1',
			NumMedia: '0',
		}
		const signature = getExpectedTwilioSignature('sdk-token', url, params)
		await expectOk(
			{ ...auth, secrets: ['sdk-token'] },
			{ url, body: form(params), headers: { ...FORM, 'X-Twilio-Signature': signature }, now: NOW },
		)
	})

	it('signs what twilio validateRequest and validateRequestWithBody accept (sign → verify round trip)', async () => {
		const url = 'https://gateway.test/trigger/tw2?flow=sms'
		const params = { Body: 'Ünïcødé ✓ a+b', From: '+15005550006', To: '+15005550001' }
		const formInit = await signed(auth, { url, body: form(params), headers: FORM, now: NOW })
		expect(validateRequest(TOKEN, header(formInit, 'x-twilio-signature'), url, params)).toBe(true)
		await expectOk(auth, formInit)

		const body = '{"event":"message.delivered"}'
		const jsonUrl = `${url}&bodySHA256=${getExpectedBodyHash(body)}`
		const jsonInit = await signed(auth, {
			url: jsonUrl,
			body,
			headers: { 'Content-Type': 'application/json' },
			now: NOW,
		})
		expect(
			validateRequestWithBody(TOKEN, header(jsonInit, 'x-twilio-signature'), jsonUrl, body),
		).toBe(true)
		await expectOk(auth, jsonInit)
	})

	it('uses publicBaseUrl (plus path and query as received) when configured', async () => {
		const proxied = { ...doc, url: 'https://triggerflare.internal/myapp.php?foo=1&bar=2' }
		await expectFail(auth, proxied)
		await expectOk({ ...auth, publicBaseUrl: 'https://mycompany.com' }, proxied)
		await expectOk({ ...auth, publicBaseUrl: 'https://mycompany.com/' }, proxied)
	})

	it('rejects a tampered parameter, URL or body', async () => {
		await expectFail(auth, { ...doc, body: doc.body.replace('1234', '1235') })
		await expectFail(auth, { ...doc, body: `${doc.body}&Extra=1` })
		await expectFail(auth, { ...doc, url: DOC_URL.replace('bar=2', 'bar=3') })
		const fixture = json(
			`${DOC_URL}&bodySHA256=${SPEC_BODY_HASH}`,
			SPEC_BODY,
			'a9nBmqA0ju/hNViExpshrM61xv4=',
		)
		await expectFail(auth, { ...fixture, body: '{"property": "value", "boolean": false}' })
	})

	it('rejects a JSON body that no bodySHA256 binds', async () => {
		const signature = getExpectedTwilioSignature(TOKEN, DOC_URL, {})
		await expectOk(auth, {
			url: DOC_URL,
			headers: { 'X-Twilio-Signature': signature },
			now: NOW,
			method: 'GET',
		})
		await expectFail(auth, json(DOC_URL, SPEC_BODY, signature))
	})

	it('rejects a wrong auth token', async () => {
		await expectFail({ ...auth, secrets: ['54321'] }, doc)
	})

	it('rejects a missing or malformed signature', async () => {
		await expectFail(auth, withHeader(doc, 'X-Twilio-Signature', undefined))
		for (const value of [
			'',
			'0/KCTR6DLpKmkAf8muzZqo1nDgQ',
			'0/KCTR6DLpKmkAf8muzZqo1nDgQ==',
			'!!!!',
		]) {
			await expectFail(auth, withHeader(doc, 'X-Twilio-Signature', value))
		}
	})

	it('rejects a signature of the same string made with another algorithm (HMAC-SHA256)', async () => {
		const signedString =
			DOC_URL +
			Object.entries(DOC_PARAMS)
				.map(([k, v]) => k + v)
				.join('')
		const key = await crypto.subtle.importKey(
			'raw',
			new TextEncoder().encode(TOKEN),
			{ name: 'HMAC', hash: 'SHA-256' },
			false,
			['sign'],
		)
		const mac = new Uint8Array(
			await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signedString)),
		)
		await expectFail(auth, withHeader(doc, 'X-Twilio-Signature', btoa(String.fromCharCode(...mac))))
	})

	it('accepts a signature made with any active token (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['the-secondary-token', TOKEN] }, doc)
	})
})
