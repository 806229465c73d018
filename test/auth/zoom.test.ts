import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Zoom publishes the scheme (https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events,
 * and its official sample https://github.com/zoom/webhook-sample/blob/master/index.js:
 * `v0=` + hex HMAC-SHA256(secret token, `v0:${x-zm-request-timestamp}:${body}`)) but no
 * signed example, and no Zoom SDK is a dependency here. The expected values are therefore
 * computed independently of this code with OpenSSL:
 *   printf '%s' 'v0:1767225600:{"event":"meeting.started","payload":{"account_id":"AAAAAA"}}' \
 *     | openssl dgst -sha256 -hmac 'zoom-secret-token'
 */
const SECRET = 'zoom-secret-token'
const TIMESTAMP = '1767225600'
const BODY = '{"event":"meeting.started","payload":{"account_id":"AAAAAA"}}'
const SIGNATURE = 'v0=7f9a1fda0efb68157232c38843ee82145ea6ecb36ab310d88b8e0be9e5ccd044'
const NOW = Number(TIMESTAMP) * 1000
const auth = { type: 'hmac', preset: 'zoom', secrets: [SECRET] }
const example = {
	body: BODY,
	headers: { 'x-zm-request-timestamp': TIMESTAMP, 'x-zm-signature': SIGNATURE },
	now: NOW,
}

describe('zoom preset', () => {
	it('accepts the OpenSSL-computed example', async () => {
		await expectOk(auth, example)
	})

	it('signs the example identically (sign → verify round trip)', async () => {
		const init = await signed(auth, { body: BODY, now: NOW })
		expect(header(init, 'x-zm-signature')).toBe(SIGNATURE)
		await expectOk(auth, await signed(auth, { body: '{"event":"x","é":1}', now: NOW + 10 }))
	})

	it('accepts a millisecond timestamp as well (the unit is undocumented; the value is signed)', async () => {
		const init = await signed(auth, { body: BODY, now: NOW })
		const ms = `${TIMESTAMP}000`
		const key = await crypto.subtle.importKey(
			'raw',
			new TextEncoder().encode(SECRET),
			{ name: 'HMAC', hash: 'SHA-256' },
			false,
			['sign'],
		)
		const mac = new Uint8Array(
			await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`v0:${ms}:${BODY}`)),
		)
		const hex = Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
		await expectOk(auth, {
			...init,
			headers: { 'x-zm-request-timestamp': ms, 'x-zm-signature': `v0=${hex}` },
		})
		await expectFail(auth, {
			...init,
			headers: { 'x-zm-request-timestamp': ms, 'x-zm-signature': `v0=${hex}` },
			now: NOW + 6 * MINUTES,
		})
	})

	it('rejects a tampered body', async () => {
		await expectFail(auth, { ...example, body: BODY.replace('started', 'ended') })
	})

	it('rejects a wrong secret', async () => {
		await expectFail({ ...auth, secrets: ['another-token'] }, example)
	})

	it('rejects missing headers', async () => {
		await expectFail(auth, withHeader(example, 'x-zm-signature', undefined))
		await expectFail(auth, withHeader(example, 'x-zm-request-timestamp', undefined))
	})

	it('rejects malformed headers and a wrong version prefix', async () => {
		await expectFail(auth, withHeader(example, 'x-zm-signature', SIGNATURE.slice(3)))
		await expectFail(auth, withHeader(example, 'x-zm-signature', 'v0=not-hex'))
		await expectFail(auth, withHeader(example, 'x-zm-signature', SIGNATURE.replace('v0=', 'v1=')))
		await expectFail(auth, withHeader(example, 'x-zm-request-timestamp', 'yesterday'))
	})

	it('rejects stale and future timestamps', async () => {
		await expectOk(auth, { ...example, now: NOW - 5 * MINUTES })
		await expectFail(auth, { ...example, now: NOW + 5 * MINUTES + SECONDS })
		await expectFail(auth, { ...example, now: NOW - 5 * MINUTES - SECONDS })
	})

	it('accepts a signature made with any active secret (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['new-token', SECRET] }, example)
	})
})
