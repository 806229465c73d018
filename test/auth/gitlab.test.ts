import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, signed, withHeader } from './support'

/**
 * GitLab sends the webhook's secret token as it is in `X-Gitlab-Token`; there is no
 * signature to take a vector from. Headers as GitLab documents them:
 * https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers
 */
const TOKEN = 'glwht-5f1a6e7cd2e7137ccf9e'
const auth = { type: 'hmac', preset: 'gitlab', secrets: [TOKEN] }
const NOW = Date.UTC(2026, 0, 1)
const delivery = {
	body: '{"object_kind":"push","ref":"refs/heads/main"}',
	headers: {
		'X-Gitlab-Token': TOKEN,
		'X-Gitlab-Event': 'Push Hook',
		'X-Gitlab-Event-UUID': '13792a34-cac6-4fda-95a8-c58e00a3954e',
		'Idempotency-Key': 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f',
	},
	now: NOW,
}

describe('gitlab preset (token, constant-time compare)', () => {
	it('accepts the configured token; the delivery id is Idempotency-Key (same across retries)', async () => {
		await expectOk(auth, delivery, 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f')
	})

	it('falls back to X-Gitlab-Event-UUID for GitLab versions without Idempotency-Key', async () => {
		await expectOk(
			auth,
			withHeader(delivery, 'Idempotency-Key', undefined),
			'13792a34-cac6-4fda-95a8-c58e00a3954e',
		)
	})

	it('rejects a wrong, empty, missing or prefixed token', async () => {
		for (const value of [undefined, '', `${TOKEN}x`, TOKEN.slice(0, -1), ` ${TOKEN}x`]) {
			await expectFail(auth, withHeader(delivery, 'X-Gitlab-Token', value))
		}
		await expectFail({ ...auth, secrets: ['another-token'] }, delivery)
	})

	it('accepts any configured token (rotation)', async () => {
		await expectOk(
			{ ...auth, secrets: ['new-token', TOKEN] },
			delivery,
			'f5e5f430-f57b-4e6e-9fac-d9128cd7232f',
		)
	})

	it('binds nothing else: the body is not authenticated (documented)', async () => {
		await expectOk(auth, { ...delivery, body: '{}' }, 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f')
	})

	it('sends the first token as GitLab does', async () => {
		const init = await signed({ ...auth, secrets: [TOKEN, 'old'] }, { body: '{}', now: NOW })
		expect(header(init, 'X-Gitlab-Token')).toBe(TOKEN)
		await expectOk(auth, init)
	})
})
