import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, SECONDS, signed, withHeader } from './support'

/**
 * Vector: computed as linear/linear packages/sdk/src/_tests/LinearWebhooks.test.ts
 * (commit fcfb6981205980b899ca07e8ca7735e81b701b5f) computes it, secret "SECRET" and its
 * Comment body, `createHmac("sha256", "SECRET").update(rawBody).digest("hex")`, with
 * `webhookTimestamp` pinned to 1579784000000 instead of the test's `Date.now()`.
 * Scheme: packages/sdk/src/webhooks/client.ts (same commit): hex HMAC-SHA256 of the body
 * in `linear-signature`; `webhookTimestamp` of the body, else `linear-timestamp`, within
 * one minute.
 */
const BODY =
	'{"action":"create","data":{"id":"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9","createdAt":"2020-01-23T12:53:18.084Z","updatedAt":"2020-01-23T12:53:18.084Z","archivedAt":null,"body":"Indeed, I think this is definitely an improvement over the previous version.","edited":false,"issueId":"539068e2-ae88-4d09-bd75-22eb4a59612f","userId":"aacdca22-6266-4c0a-ab3c-8fa70a26765c"},"type":"Comment","url":"https://linear.app/issue/LIN-1778/foo-bar#comment-77217de3-fb52-4dad-bb9a-b356beb93de8","createdAt":"2020-01-23T12:53:18.084Z","webhookTimestamp":1579784000000}'
const SIGNATURE = '9f9fe461cff5e6619c44f1bbe9f1d540e2af8838b8d727b1875bd858b023fac2'
// The same body without webhookTimestamp, signed the same way.
const BODY_WITHOUT_TIMESTAMP = BODY.replace(',"webhookTimestamp":1579784000000', '')
const SIGNATURE_WITHOUT_TIMESTAMP =
	'6cd1978acce7310d346cce06ed926e74ae98ef073be897f2152a9bf30cac4d5b'
const NOW = 1_579_784_000_000
const DELIVERY = '234d1a4e-b617-4388-90fe-adc3633d6b72'
const auth = { type: 'hmac', preset: 'linear', secrets: ['SECRET'] }
const vector = {
	body: BODY,
	headers: { 'Linear-Signature': SIGNATURE, 'Linear-Delivery': DELIVERY },
	now: NOW,
}

describe('linear preset', () => {
	it('accepts the vector and reports Linear-Delivery', async () => {
		await expectOk(auth, vector, DELIVERY)
	})

	it('rejects a tampered body and a wrong secret', async () => {
		await expectFail(auth, { ...vector, body: BODY.replace('create', 'update') })
		await expectFail({ ...auth, secrets: ['WRONG_SECRET'] }, vector)
		await expectOk({ ...auth, secrets: ['WRONG_SECRET', 'SECRET'] }, vector, DELIVERY)
	})

	it('rejects a webhookTimestamp more than a minute away, as Linear’s SDK does', async () => {
		await expectOk(auth, { ...vector, now: NOW + 60 * SECONDS }, DELIVERY)
		await expectFail(auth, { ...vector, now: NOW + 61 * SECONDS })
		await expectFail(auth, { ...vector, now: NOW - 61 * SECONDS })
		// The signed body field decides; a header cannot refresh it.
		await expectFail(auth, {
			...withHeader(vector, 'Linear-Timestamp', String(NOW + 1_000_000)),
			now: NOW + 1_000_000,
		})
	})

	it('reads Linear-Timestamp when the body has no webhookTimestamp; without either it fails', async () => {
		const init = {
			body: BODY_WITHOUT_TIMESTAMP,
			headers: { 'Linear-Signature': SIGNATURE_WITHOUT_TIMESTAMP, 'Linear-Timestamp': String(NOW) },
			now: NOW,
		}
		await expectOk(auth, init)
		await expectFail(auth, { ...init, now: NOW + 61 * SECONDS })
		await expectFail(auth, withHeader(init, 'Linear-Timestamp', undefined))
	})

	it('rejects a missing or malformed signature', async () => {
		for (const value of [undefined, '', `sha256=${SIGNATURE}`, SIGNATURE.slice(1)]) {
			await expectFail(auth, withHeader(vector, 'Linear-Signature', value))
		}
	})

	it('signs the vector exactly (sign → verify)', async () => {
		const init = await signed(auth, { body: BODY, now: NOW })
		expect(header(init, 'Linear-Signature')).toBe(SIGNATURE)
		await expectOk(auth, init)
	})
})
