/**
 * Sender authentication through the trigger route: the forged-flood budget property,
 * delivery-id dedupe from a provider preset, and the SPEC's order of checks.
 */
import { describe, expect, it } from 'vitest'
import { type AuthConfig, signRequest } from '../../src/auth'
import { admin, call, createExamples, patchEndpoint } from '../helpers'

const SECRET = "It's a Secret to Everybody"
const github: AuthConfig = { type: 'hmac', preset: 'github', secrets: [SECRET] }

async function signed(endpoint: string, body: string, extra: Record<string, string> = {}) {
	const url = `https://gateway.test/trigger/${endpoint}`
	const headers = { 'content-type': 'application/json', ...extra }
	const sig = await signRequest(github, {
		method: 'POST',
		url,
		headers,
		body: new TextEncoder().encode(body),
		now: Date.now(),
	})
	return call(`/trigger/${endpoint}`, { method: 'POST', headers: { ...headers, ...sig }, body })
}

describe('sender authentication on the trigger route', () => {
	it('100 forged requests then 50 genuine ones in the same second: all 50 genuine are accepted', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: github })
		const forged = await Promise.all(
			Array.from({ length: 100 }, (_, i) =>
				call(`/trigger/${echo}`, {
					method: 'POST',
					headers: {
						'content-type': 'application/json',
						'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
					},
					body: JSON.stringify({ forged: i }),
				}),
			),
		)
		expect(forged.every((r) => r.status === 401)).toBe(true)
		const genuine = await Promise.all(
			Array.from({ length: 50 }, (_, i) => signed(echo, JSON.stringify({ n: i }))),
		)
		expect(genuine.map((r) => r.status)).toEqual(Array(50).fill(200))
		// The 51st is refused: the 50 genuine ones filled one rolling second, and the 100
		// forged ones before them took none of it.
		expect((await signed(echo, '{"n":50}')).status).toBe(429)
	})

	it('the same X-GitHub-Delivery twice → one execution', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: github })
		const delivery = { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' }
		const a = await signed(echo, '{"action":"opened"}', delivery)
		const b = await signed(echo, '{"action":"opened"}', delivery)
		const idA = ((await a.json()) as { executionId: string }).executionId
		const idB = ((await b.json()) as { executionId: string }).executionId
		expect(idB).toBe(idA)
		const list = (await (await admin(`/api/executions?endpoint=${echo}`)).json()) as {
			executions: unknown[]
		}
		expect(list.executions).toHaveLength(1)
	})

	it('checks in the SPEC order: 404, 413, 401, 400, then 429', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, {
			auth: github,
			maxBodyBytes: 100,
			rateLimit: { requestsPerSecond: 1 },
		})
		// Unknown endpoint beats everything.
		expect(
			(await call(`/trigger/${'z'.repeat(26)}`, { method: 'POST', body: 'x'.repeat(500) })).status,
		).toBe(404)
		// Too large beats a missing signature.
		expect((await call(`/trigger/${echo}`, { method: 'POST', body: 'x'.repeat(500) })).status).toBe(
			413,
		)
		// A bad signature beats a malformed body.
		const bad = await call(`/trigger/${echo}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha256=00' },
			body: '{broken',
		})
		expect(bad.status).toBe(401)
		// A correctly signed malformed body is a 400, and spends no budget...
		expect((await signed(echo, '{broken')).status).toBe(400)
		expect((await signed(echo, '{"ok":1}')).status).toBe(200)
		// ...so only now is the one-per-second budget used up.
		expect((await signed(echo, '{"ok":2}')).status).toBe(429)
	})
})
