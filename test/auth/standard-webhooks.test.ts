import { Webhook as StandardWebhook } from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Vectors:
 * - Svix's published example (https://docs.svix.com/receiving/verifying-payloads/how):
 *   secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, svix-id msg_p5jXN8AQM9LWM0D4loKWxJek,
 *   svix-timestamp 1614265330, payload '{"test": 2432232314}', signature
 *   v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=.
 * - Signatures produced by the official libraries, standardwebhooks@1.1.1 and svix@2.5.0
 *   (`new Webhook(secret).sign(id, date, payload)`), and ours checked by their `verify()`.
 * Scheme: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek'
const TIMESTAMP = '1614265330'
const PAYLOAD = '{"test": 2432232314}'
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
const NOW = Number(TIMESTAMP) * 1000
const auth = { type: 'hmac', preset: 'standard-webhooks', secrets: [SECRET] }
const svixAuth = { ...auth, preset: 'svix' }

const svixDoc = {
	body: PAYLOAD,
	headers: { 'svix-id': ID, 'svix-timestamp': TIMESTAMP, 'svix-signature': SIGNATURE },
	now: NOW,
}
const webhookDoc = {
	body: PAYLOAD,
	headers: { 'webhook-id': ID, 'webhook-timestamp': TIMESTAMP, 'webhook-signature': SIGNATURE },
	now: NOW,
}

describe('standard-webhooks and svix presets', () => {
	it('accept the published example under both header families, reporting the message id', async () => {
		for (const a of [auth, svixAuth]) {
			await expectOk(a, svixDoc, ID)
			await expectOk(a, webhookDoc, ID)
		}
	})

	it('take a secret without the whsec_ prefix as base64 too', async () => {
		await expectOk({ ...auth, secrets: ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'] }, webhookDoc, ID)
	})

	it('accept signatures made by the standardwebhooks and svix libraries', async () => {
		const body = '{"type":"user.created","data":{"name":"Zoë"}}'
		const date = new Date(NOW)
		const standard = new StandardWebhook(SECRET).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', date, body)
		const svix = new SvixWebhook(SECRET).sign('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', date, body)
		expect(standard).toBe(svix)
		await expectOk(
			auth,
			{
				body,
				headers: {
					'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
					'webhook-timestamp': TIMESTAMP,
					'webhook-signature': standard,
				},
				now: NOW,
			},
			'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
		)
	})

	it('sign what the standardwebhooks and svix libraries verify (sign → verify round trip)', async () => {
		const now = Date.now()
		const body = '{"type":"invoice.paid"}'
		const standardInit = await signed(auth, {
			body,
			now,
			headers: { 'webhook-id': 'msg_roundtrip' },
		})
		expect(
			new StandardWebhook(SECRET).verify(body, {
				'webhook-id': header(standardInit, 'webhook-id'),
				'webhook-timestamp': header(standardInit, 'webhook-timestamp'),
				'webhook-signature': header(standardInit, 'webhook-signature'),
			}),
		).toEqual({ type: 'invoice.paid' })
		await expectOk(auth, standardInit, 'msg_roundtrip')

		const svixInit = await signed(svixAuth, { body, now })
		expect(header(svixInit, 'svix-id')).toMatch(/^msg_/)
		const svixHeaders = {
			'svix-id': header(svixInit, 'svix-id'),
			'svix-timestamp': header(svixInit, 'svix-timestamp'),
			'svix-signature': header(svixInit, 'svix-signature'),
		}
		// svix@2.5.0's verify() returns nothing and throws on any mismatch.
		expect(() => new SvixWebhook(SECRET).verify(body, svixHeaders)).not.toThrow()
		expect(() => new SvixWebhook(SECRET).verify(`${body} `, svixHeaders)).toThrow()
		await expectOk(svixAuth, svixInit, header(svixInit, 'svix-id'))
	})

	it('accept any v1 entry of a space-separated list and skip other versions', async () => {
		const list = `v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg== v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= ${SIGNATURE}`
		await expectOk(auth, withHeader(svixDoc, 'svix-signature', list), ID)
		await expectFail(auth, withHeader(svixDoc, 'svix-signature', SIGNATURE.replace('v1,', 'v1a,')))
		await expectFail(auth, withHeader(svixDoc, 'svix-signature', SIGNATURE.replace('v1,', 'v2,')))
	})

	it('reject a tampered body, id or timestamp', async () => {
		await expectFail(auth, { ...svixDoc, body: '{"test": 2432232315}' })
		await expectFail(auth, withHeader(svixDoc, 'svix-id', 'msg_p5jXN8AQM9LWM0D4loKWxJeK'))
		await expectFail(auth, withHeader(svixDoc, 'svix-timestamp', '1614265331'))
	})

	it('reject a wrong secret', async () => {
		await expectFail({ ...auth, secrets: ['whsec_c2VjcmV0LW9mLWFub3RoZXItZW5kcG9pbnQ='] }, svixDoc)
	})

	it('reject missing headers, and a family completed from the other one', async () => {
		for (const name of ['svix-id', 'svix-timestamp', 'svix-signature']) {
			await expectFail(auth, withHeader(svixDoc, name, undefined))
		}
		await expectFail(auth, {
			...svixDoc,
			headers: { 'webhook-id': ID, 'svix-timestamp': TIMESTAMP, 'svix-signature': SIGNATURE },
		})
	})

	it('reject malformed signatures and timestamps', async () => {
		for (const value of [
			'',
			'v1,',
			'v1,dawfeoifkpqwoekfpqoekf',
			'v1 g0hM9SsE',
			SIGNATURE.slice(0, 8),
		]) {
			await expectFail(auth, withHeader(svixDoc, 'svix-signature', value))
		}
		await expectFail(auth, withHeader(svixDoc, 'svix-timestamp', 'hello'))
	})

	it('reject stale and future timestamps', async () => {
		await expectOk(auth, { ...svixDoc, now: NOW + 5 * MINUTES }, ID)
		await expectFail(auth, { ...svixDoc, now: NOW + 5 * MINUTES + SECONDS })
		await expectFail(auth, { ...svixDoc, now: NOW - 5 * MINUTES - SECONDS })
	})

	it('accept a signature made with any active secret (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['whsec_bmV3LXNlY3JldC1rZXk=', SECRET] }, svixDoc, ID)
	})
})
