import { sign as octokitSign, verify as octokitVerify } from '@octokit/webhooks-methods'
import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, signed, withHeader } from './support'

/**
 * Vectors:
 * - GitHub's documented test values, "Testing the webhook payload validation" in
 *   https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 *   (secret "It's a Secret to Everybody", payload "Hello, World!").
 * - Signatures produced by GitHub's official @octokit/webhooks-methods@6.0.0 `sign()`,
 *   and our signatures checked by its `verify()`.
 * - SHA-1 (`X-Hub-Signature`): HMAC-SHA1 of the same documented secret and payload,
 *   printf 'Hello, World!' | openssl dgst -sha1 -hmac "It's a Secret to Everybody"
 */
const SECRET = "It's a Secret to Everybody"
const PAYLOAD = 'Hello, World!'
const DOC_SIGNATURE = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
const SHA1_SIGNATURE = 'sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59'
const NOW = Date.UTC(2026, 0, 1)
const auth = { type: 'hmac', preset: 'github', secrets: [SECRET] }

const docRequest = {
	body: PAYLOAD,
	headers: {
		'X-Hub-Signature-256': DOC_SIGNATURE,
		'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
	},
	now: NOW,
}

describe('github preset', () => {
	it('accepts the documented vector and reports X-GitHub-Delivery', async () => {
		await expectOk(auth, docRequest, '72d3162e-cc78-11e3-81ab-4c9367dc0958')
	})

	it('accepts signatures made by @octokit/webhooks-methods sign()', async () => {
		const body = JSON.stringify({ action: 'opened', issue: { title: 'ünïcødé ✓' } })
		const signature = await octokitSign('octo-secret', body)
		await expectOk(
			{ ...auth, secrets: ['octo-secret'] },
			{ body, headers: { 'x-hub-signature-256': signature }, now: NOW },
		)
	})

	it('signs what @octokit/webhooks-methods verify() accepts (sign → verify round trip)', async () => {
		const body = '{"zen":"Keep it logically awesome."}\n'
		const init = await signed(auth, { body, now: NOW })
		expect(header(init, 'x-hub-signature-256')).toBe(await octokitSign(SECRET, body))
		expect(await octokitVerify(SECRET, body, header(init, 'x-hub-signature-256'))).toBe(true)
		await expectOk(auth, init)
	})

	it('falls back to the legacy sha1 X-Hub-Signature only when the sha256 header is absent', async () => {
		const legacy = { body: PAYLOAD, headers: { 'X-Hub-Signature': SHA1_SIGNATURE }, now: NOW }
		await expectOk(auth, legacy)
		// A broken sha256 header is not rescued by a valid sha1 one (no downgrade).
		await expectFail(auth, {
			...legacy,
			headers: { ...legacy.headers, 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` },
		})
	})

	it('rejects a tampered body', async () => {
		await expectFail(auth, { ...docRequest, body: 'Hello, World?' })
	})

	it('rejects a wrong secret', async () => {
		await expectFail({ ...auth, secrets: ['not the secret'] }, docRequest)
	})

	it('rejects a missing signature header', async () => {
		await expectFail(auth, withHeader(docRequest, 'X-Hub-Signature-256', undefined))
	})

	it('rejects malformed signatures without throwing', async () => {
		for (const value of [
			'',
			'sha256=',
			'sha256=zz07ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
			'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1',
			'757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
		]) {
			await expectFail(auth, withHeader(docRequest, 'X-Hub-Signature-256', value))
		}
	})

	it('rejects a wrong algorithm prefix', async () => {
		await expectFail(
			auth,
			withHeader(docRequest, 'X-Hub-Signature-256', DOC_SIGNATURE.replace('sha256=', 'sha1=')),
		)
		await expectFail(auth, {
			body: PAYLOAD,
			headers: { 'X-Hub-Signature': SHA1_SIGNATURE.replace('sha1=', 'sha256=') },
			now: NOW,
		})
	})

	it('accepts a signature made with any active secret (rotation)', async () => {
		await expectOk(
			{ ...auth, secrets: ['the new secret', SECRET] },
			docRequest,
			'72d3162e-cc78-11e3-81ab-4c9367dc0958',
		)
	})
})
