import { Webhook as StandardWebhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import { describe, expect, it } from 'vitest'
import { authConfigSchema } from '../../src/auth'
import { expectFail, expectOk, header, SECONDS, signed } from './support'

/**
 * Clerk and Resend deliver through Svix (`svix-id`, `svix-timestamp`, `svix-signature`,
 * secret `whsec_…`): https://clerk.com/docs/webhooks/sync-data,
 * https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests.
 * Vectors: signed with the official `standardwebhooks` library exactly as
 * resend/resend-node src/webhooks/webhooks.spec.ts (commit
 * 9864b8c4e25813d7e19f237d0c45b1e2c707e838) does (its secret, message id and payload), at
 * a pinned time; and with `svix`'s own `sign()`. The Standard Webhooks spec vectors are in
 * standard-webhooks.test.ts.
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W'
const PAYLOAD = JSON.stringify({ type: 'email.sent', data: { id: ID } })
const NOW = Date.UTC(2026, 0, 1)
const timestamp = NOW / SECONDS

function svixHeaders(signature: string) {
	return { 'svix-id': ID, 'svix-timestamp': String(timestamp), 'svix-signature': signature }
}

describe.each(['clerk', 'resend'])('%s preset (Svix)', (preset) => {
	const auth = { type: 'hmac', preset, secrets: [SECRET] }
	const signature = new StandardWebhook(SECRET).sign(ID, new Date(NOW), PAYLOAD)
	const delivery = { body: PAYLOAD, headers: svixHeaders(signature), now: NOW }

	it('accepts a standardwebhooks-signed delivery (as resend-node’s test signs) and reports svix-id', async () => {
		await expectOk(auth, delivery, ID)
	})

	it('accepts what svix’s own sign() produces', async () => {
		const svixSignature = new SvixWebhook(SECRET).sign(ID, new Date(NOW), PAYLOAD)
		await expectOk(auth, { ...delivery, headers: svixHeaders(svixSignature) }, ID)
	})

	it('rejects the resend-node test’s invalid signature, a tampered body and a wrong secret', async () => {
		await expectFail(auth, { ...delivery, headers: svixHeaders('v1,not-a-valid-signature') })
		await expectFail(auth, { ...delivery, body: JSON.stringify({ type: 'email.bounced' }) })
		await expectFail({ ...auth, secrets: ['whsec_dGhlIG90aGVyIHNlY3JldCwgYmFzZTY0'] }, delivery)
	})

	it('rejects a timestamp more than 5 minutes away', async () => {
		await expectOk(auth, { ...delivery, now: NOW + 300 * SECONDS }, ID)
		await expectFail(auth, { ...delivery, now: NOW + 301 * SECONDS })
	})

	it('sends svix-* headers the svix library verifies', async () => {
		const init = await signed(auth, { body: PAYLOAD, now: Date.now() })
		expect(header(init, 'svix-signature')).toMatch(/^v1,/)
		const headers = init.headers as Record<string, string>
		// svix@2.5.0's verify() returns nothing and throws on any mismatch.
		expect(() => new SvixWebhook(SECRET).verify(PAYLOAD, headers)).not.toThrow()
		expect(() => new SvixWebhook(SECRET).verify(`${PAYLOAD} `, headers)).toThrow()
	})

	it('refuses a secret that is not whsec_ base64 on write', () => {
		const parsed = authConfigSchema.safeParse({ ...auth, secrets: ['not base64!'] })
		expect(parsed.error?.issues[0]?.path).toEqual(['secrets', 0])
	})
})
