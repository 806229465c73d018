import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Vectors: Stripe publishes no fixed test vector, so every signature here is produced or
 * checked by Stripe's official SDK, stripe@23.1.0: `stripe.webhooks.generateTestHeaderStringAsync`
 * signs, `stripe.webhooks.constructEventAsync` verifies our own signatures.
 * Scheme: https://docs.stripe.com/webhooks#verify-manually
 */
const stripe = new Stripe('sk_test_not_used_offline')
const SECRET = 'whsec_test_3f6a1c0e9b2d4f8a'
const T = 1_767_225_600 // 2026-01-01T00:00:00Z
const NOW = T * 1000
const EVENT = '{\n  "id": "evt_1QxYz2Abc",\n  "object": "event",\n  "type": "invoice.paid"\n}'
const auth = { type: 'hmac', preset: 'stripe', secrets: [SECRET] }

async function sdkHeader(payload: string, secret = SECRET, timestamp = T): Promise<string> {
	return stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp })
}

async function sdkRequest(payload = EVENT, secret = SECRET, timestamp = T) {
	return {
		body: payload,
		headers: { 'Stripe-Signature': await sdkHeader(payload, secret, timestamp) },
		now: NOW,
	}
}

describe('stripe preset', () => {
	it('accepts the SDK signature and reports the event id', async () => {
		await expectOk(auth, await sdkRequest(), 'evt_1QxYz2Abc')
	})

	it('accepts any of several v1 signatures (Stripe sends one per secret while rolling)', async () => {
		const old = (await sdkHeader(EVENT, 'whsec_old_secret')).split(',')[1]
		const current = await sdkHeader(EVENT)
		const header = `${current.split(',')[0]},${old},${current.split(',')[1]},v0=ignored`
		await expectOk(
			auth,
			{ body: EVENT, headers: { 'Stripe-Signature': header }, now: NOW },
			'evt_1QxYz2Abc',
		)
	})

	it('accepts a signature made with any active secret (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['whsec_new', SECRET] }, await sdkRequest(), 'evt_1QxYz2Abc')
	})

	it('reports no delivery id for a body that is not a JSON object with an id', async () => {
		await expectOk(auth, await sdkRequest('[1,2,3]'))
	})

	it('signs what stripe.webhooks.constructEventAsync accepts (sign → verify round trip)', async () => {
		const now = Date.now()
		const init = await signed(auth, { body: EVENT, now })
		const event = await stripe.webhooks.constructEventAsync(
			EVENT,
			header(init, 'stripe-signature'),
			SECRET,
		)
		expect(event.id).toBe('evt_1QxYz2Abc')
		await expectOk(auth, init, 'evt_1QxYz2Abc')
	})

	it('rejects a tampered body', async () => {
		const init = await sdkRequest()
		await expectFail(auth, { ...init, body: EVENT.replace('invoice.paid', 'invoice.voided') })
	})

	it('rejects a wrong secret', async () => {
		await expectFail(auth, await sdkRequest(EVENT, 'whsec_someone_else'))
	})

	it('rejects a missing header', async () => {
		await expectFail(auth, withHeader(await sdkRequest(), 'Stripe-Signature', undefined))
	})

	it('rejects malformed headers', async () => {
		const init = await sdkRequest()
		const valid = header(init, 'stripe-signature')
		const v1 = valid.split(',')[1] ?? ''
		for (const value of [
			'',
			v1, // no timestamp
			`t=${T}`, // no signature
			`t=${T},v0=${v1.slice(3)}`, // only another scheme
			`t=${T},v1=not-hex`,
			`t=${T}.5,${v1}`,
			`t=-${T},${v1}`,
			`t=${T},t=${T},${v1}`, // two timestamps
			`t=${T},v1=${v1.slice(3, -2)}`, // truncated
		]) {
			await expectFail(auth, withHeader(init, 'Stripe-Signature', value))
		}
	})

	it('rejects timestamps older or newer than the tolerance, both signed by the SDK', async () => {
		await expectOk(auth, { ...(await sdkRequest()), now: NOW + 5 * MINUTES }, 'evt_1QxYz2Abc')
		await expectFail(auth, { ...(await sdkRequest()), now: NOW + 5 * MINUTES + SECONDS })
		await expectFail(auth, { ...(await sdkRequest()), now: NOW - 5 * MINUTES - SECONDS })
		const wider = { ...auth, toleranceSeconds: 3600 }
		await expectOk(wider, { ...(await sdkRequest()), now: NOW + 59 * MINUTES }, 'evt_1QxYz2Abc')
	})

	it('rejects a changed timestamp (it is signed)', async () => {
		const init = await sdkRequest()
		const forged = header(init, 'stripe-signature').replace(`t=${T}`, `t=${T + 1}`)
		await expectFail(auth, withHeader(init, 'Stripe-Signature', forged))
	})
})
