/**
 * Handshakes through the trigger route: answered directly, no execution, no rate budget,
 * provider-signed ones only after authentication.
 */
import { describe, expect, it } from 'vitest'
import { admin, call, createExamples, patchEndpoint, postJson } from '../helpers'

async function executionCount(endpoint: string): Promise<number> {
	const list = (await (await admin(`/api/executions?endpoint=${endpoint}`)).json()) as {
		executions: unknown[]
	}
	return list.executions.length
}

describe('handshakes on a live endpoint', () => {
	it('Meta: echoes hub.challenge for the right verify token, 403 otherwise; secrets stay write-only', async () => {
		const { echo } = await createExamples()
		const patched = await patchEndpoint(echo, {
			handshakes: [{ type: 'meta', verifyToken: 'meatyhamhock' }],
			rateLimit: { requestsPerSecond: 1 },
		})
		expect(await patched.text()).not.toContain('meatyhamhock')
		for (let i = 0; i < 3; i++) {
			const ok = await call(
				`/trigger/${echo}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock`,
			)
			expect(ok.status).toBe(200)
			expect(ok.headers.get('content-type')).toBe('text/plain; charset=utf-8')
			expect(await ok.text()).toBe('1158201444')
			expect(ok.headers.get('triggerflare-execution-id')).toBeNull()
		}
		const bad = await call(
			`/trigger/${echo}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope`,
		)
		expect(bad.status).toBe(403)
		// No execution was started and no rate budget spent: a real delivery still gets in.
		expect(await executionCount(echo)).toBe(0)
		expect((await postJson(echo, { real: true })).status).toBe(200)
	})

	it('Slack url_verification is answered only after the request authenticates', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, {
			handshakes: [{ type: 'slack' }],
			auth: { type: 'apiKey', keys: ['k'] },
		})
		const body = {
			token: 'x',
			challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
			type: 'url_verification',
		}
		expect((await postJson(echo, body)).status).toBe(401)
		const ok = await postJson(echo, body, { 'api-key': 'k' })
		expect(ok.status).toBe(200)
		expect(await ok.text()).toBe(body.challenge)
		expect(await executionCount(echo)).toBe(0)
	})
})
