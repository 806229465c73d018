/**
 * Why a request was refused, for the operator's counters (never for the sender): each
 * scheme tells an absent signature from an unreadable one, a stale timestamp from a wrong
 * signature, and an endpoint that cannot verify anything from all of them.
 */
import { describe, it } from 'vitest'
import { expectFail, MINUTES, signed, withHeader } from './support'

const NOW = Date.UTC(2026, 0, 1)
const body = JSON.stringify({ hello: 'world' })
const base = { body, now: NOW, headers: { 'content-type': 'application/json' } }

describe('refusal reasons', () => {
	it('github: missing, malformed, wrong signature', async () => {
		const auth = { type: 'hmac', preset: 'github', secrets: ['s3cret'] }
		const ok = await signed(auth, base)
		const bare = withHeader(
			withHeader(ok, 'X-Hub-Signature-256', undefined),
			'X-Hub-Signature',
			undefined,
		)
		await expectFail(auth, bare, 'missing')
		await expectFail(auth, withHeader(bare, 'X-Hub-Signature-256', 'sha256=not-hex'), 'malformed')
		await expectFail(auth, { ...ok, body: `${body} ` }, 'signature')
		await expectFail({ ...auth, secrets: ['other'] }, ok, 'signature')
	})

	it('slack (timestamped): missing, stale, wrong signature', async () => {
		const auth = { type: 'hmac', preset: 'slack', secrets: ['s3cret'] }
		const ok = await signed(auth, base)
		const bare = withHeader(
			withHeader(ok, 'X-Slack-Signature', undefined),
			'X-Slack-Request-Timestamp',
			undefined,
		)
		await expectFail(auth, bare, 'missing')
		await expectFail(auth, { ...ok, now: NOW + 10 * MINUTES }, 'timestamp')
		await expectFail(auth, withHeader(ok, 'X-Slack-Request-Timestamp', 'yesterday'), 'malformed')
		await expectFail(auth, { ...ok, body: '{}' }, 'signature')
	})

	it('standard webhooks: missing, stale', async () => {
		const auth = {
			type: 'hmac',
			preset: 'standard-webhooks',
			secrets: ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
		}
		const ok = await signed(auth, base)
		await expectFail(auth, { ...base }, 'missing')
		await expectFail(auth, { ...ok, now: NOW - 10 * MINUTES }, 'timestamp')
	})

	it('generic HMAC and GitLab tokens: missing, malformed, wrong', async () => {
		const generic = {
			type: 'hmac',
			algorithm: 'sha256',
			header: 'x-signature',
			encoding: 'hex',
			prefix: 'sha256=',
			secrets: ['k'],
		}
		await expectFail(generic, base, 'missing')
		await expectFail(generic, withHeader(base, 'x-signature', 'md5=00'), 'malformed')
		await expectFail(
			generic,
			withHeader(base, 'x-signature', `sha256=${'0'.repeat(64)}`),
			'signature',
		)
		const gitlab = { type: 'hmac', preset: 'gitlab', secrets: ['token'] }
		await expectFail(gitlab, base, 'missing')
		await expectFail(gitlab, withHeader(base, 'x-gitlab-token', 'nope'), 'signature')
	})

	it('discord (Ed25519): missing, stale, foreign key', async () => {
		const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
			'sign',
			'verify',
		])) as CryptoKeyPair
		const other = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
			'sign',
			'verify',
		])) as CryptoKeyPair
		const hex = async (key: CryptoKey) =>
			Array.from(new Uint8Array((await crypto.subtle.exportKey('raw', key)) as ArrayBuffer), (b) =>
				b.toString(16).padStart(2, '0'),
			).join('')
		const auth = { type: 'publicKey', preset: 'discord', keys: [await hex(pair.publicKey)] }
		const ok = await signed(auth, base, pair.privateKey)
		await expectFail(auth, base, 'missing')
		await expectFail(auth, withHeader(ok, 'X-Signature-Ed25519', 'zz'), 'malformed')
		await expectFail(auth, { ...ok, now: NOW + 10 * MINUTES }, 'timestamp')
		await expectFail({ ...auth, keys: [await hex(other.publicKey)] }, ok, 'signature')
	})
})
