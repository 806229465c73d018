import { describe, expect, it } from 'vitest'
import { HMAC_PRESETS, signRequest } from '../../src/auth'
import { config, expectFail, expectOk, signed, URL_BASE, verify } from './support'

/**
 * signRequest against every preset's own verifier. The provider vectors in the per-preset
 * files pin both sides to the providers' schemes; this pins them to each other for all
 * presets at once, including rotation in both directions.
 */
const NOW = Date.UTC(2026, 0, 1, 12)
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' }
const BODY = 'Body=Hello+w%C3%B6rld&From=%2B15005550006'

const WHSEC = new Set(['svix', 'standard-webhooks', 'clerk', 'resend'])
// GitLab sends its token as it is: nothing binds the body, so tampering is not detectable.
const UNSIGNED_BODY = new Set(['gitlab'])

const secretsFor = (preset: string, names: string[]) =>
	WHSEC.has(preset)
		? names.map((n) => `whsec_${btoa(`${n}-key-material-0123456789`)}`)
		: names.map((n) => `${n}-secret`)

describe('signRequest round trips', () => {
	for (const preset of HMAC_PRESETS) {
		it(`${preset}: signed requests verify; tampered ones do not; any active secret signs`, async () => {
			const [current, previous] = secretsFor(preset, ['current', 'previous'])
			const both = { type: 'hmac', preset, secrets: [current, previous] }
			const init = await signed(both, { body: BODY, headers: FORM, now: NOW })
			const result = await verify(both, init)
			expect(result.ok).toBe(true)
			if (!UNSIGNED_BODY.has(preset)) await expectFail(both, { ...init, body: `${BODY}&x=1` })
			// A sender still on the previous secret, and one already on a secret we do not have.
			const old = await signed(
				{ ...both, secrets: [previous] },
				{ body: BODY, headers: FORM, now: NOW },
			)
			expect((await verify(both, old)).ok).toBe(true)
			const [unknown] = secretsFor(preset, ['unknown'])
			await expectFail(
				both,
				await signed({ ...both, secrets: [unknown] }, { body: BODY, headers: FORM, now: NOW }),
			)
		})
	}

	it('adds only what the scheme needs, and never the secret', async () => {
		const input = {
			method: 'POST',
			url: URL_BASE,
			headers: FORM,
			body: new TextEncoder().encode(BODY),
			now: NOW,
		}
		for (const preset of HMAC_PRESETS.filter((p) => !UNSIGNED_BODY.has(p))) {
			const [secret] = secretsFor(preset, ['visible'])
			const headers = await signRequest(config({ type: 'hmac', preset, secrets: [secret] }), input)
			expect(Object.keys(headers).length).toBeGreaterThan(0)
			expect(JSON.stringify(headers)).not.toContain('visible')
		}
		expect(
			await signRequest(config({ type: 'apiKey', header: 'x-key', keys: ['k1', 'k2'] }), input),
		).toEqual({
			'x-key': 'k1',
		})
		// A token scheme sends the (first) token itself, like an API key.
		expect(
			await signRequest(config({ type: 'hmac', preset: 'gitlab', secrets: ['t1', 't2'] }), input),
		).toEqual({ 'X-Gitlab-Token': 't1' })
	})

	it('refuses to sign a Twilio JSON body that the URL does not bind', async () => {
		await expect(
			signRequest(config({ type: 'hmac', preset: 'twilio', secrets: ['t'] }), {
				method: 'POST',
				url: URL_BASE,
				headers: { 'content-type': 'application/json' },
				body: new TextEncoder().encode('{}'),
				now: NOW,
			}),
		).rejects.toThrow('bodySHA256')
	})

	it('verifies with the signature timestamp at the edge of the tolerance only', async () => {
		const auth = { type: 'hmac', preset: 'stripe', secrets: ['s'], toleranceSeconds: 30 }
		const init = await signed(auth, { body: '{}', now: NOW })
		await expectOk(auth, { ...init, now: NOW + 30_000 })
		await expectFail(auth, { ...init, now: NOW + 31_000 })
	})
})
