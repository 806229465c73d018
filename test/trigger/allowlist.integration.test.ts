/**
 * IP allowlists on trigger URLs: checked against CF-Connecting-IP before the body is
 * read; a refused client gets 403 {"error":"Forbidden."}, spends no rate budget, and its
 * refusal is counted with the reason `ip` for the operator (never told to the sender).
 */
import { describe, expect, it } from 'vitest'
import { admin, call, createExamples, patchEndpoint, post, postJson } from '../helpers'

const from = (ip: string | null): Record<string, string> => (ip ? { 'cf-connecting-ip': ip } : {})

async function activity(endpointId: string) {
	const res = await admin(`/api/endpoints/${endpointId}/activity?minutes=2`)
	expect(res.status).toBe(200)
	return (await res.json()) as {
		totals: {
			admitted: number
			forbidden: number
			unauthorized: number
			reasons: Record<string, number>
		}
	}
}

describe('IP allowlist', () => {
	it('refuses invalid ranges with a 400 naming the entry', async () => {
		const { echo } = await createExamples()
		const res = await patchEndpoint(echo, { allowedIps: ['192.0.2.0/24', '300.1.1.1'] })
		expect(res.status).toBe(400)
		expect(await res.json()).toEqual({
			error: 'Invalid request: allowedIps.1: must be an IPv4 or IPv6 address or CIDR range',
		})
	})

	it('lets listed IPv4 and IPv6 clients in and answers 403 to others, before reading the body or spending rate budget', async () => {
		const { echo } = await createExamples()
		const patched = await patchEndpoint(echo, {
			allowedIps: ['192.0.2.0/24', '2001:db8::/32'],
			rateLimit: { requestsPerSecond: 2 },
			maxBodyBytes: 16,
		})
		expect(patched.status).toBe(200)
		expect(((await patched.json()) as { allowedIps: string[] }).allowedIps).toEqual([
			'192.0.2.0/24',
			'2001:db8::/32',
		])

		// Refused whatever they send: an oversized body, no client address at all, HEAD.
		for (const ip of ['198.51.100.1', '2001:db9::1', null]) {
			const res = await post(echo, 'x'.repeat(1000), from(ip))
			expect(res.status).toBe(403)
			expect(await res.json()).toEqual({ error: 'Forbidden.' })
		}
		const head = await call(`/trigger/${echo}`, { method: 'HEAD', headers: from('203.0.113.5') })
		expect(head.status).toBe(403)

		// None of those spent the 2/s budget.
		expect((await postJson(echo, {}, from('192.0.2.77'))).status).toBe(200)
		expect((await postJson(echo, {}, from('2001:db8:1::5'))).status).toBe(200)
		expect((await postJson(echo, {}, from('192.0.2.78'))).status).toBe(429)

		// An unknown endpoint is still a 404 first.
		expect((await post('a'.repeat(26), null, from('198.51.100.1'))).status).toBe(404)

		await new Promise((r) => setTimeout(r, 1100))
		const { totals } = await activity(echo)
		expect(totals.forbidden).toBe(4)
		expect(totals.reasons.ip).toBe(4)
		expect(totals.admitted).toBe(2)
	})

	it('is lifted by an empty list', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { allowedIps: ['192.0.2.1'] })
		expect((await postJson(echo, {}, from('203.0.113.1'))).status).toBe(403)
		await patchEndpoint(echo, { allowedIps: [] })
		expect((await postJson(echo, {}, from('203.0.113.1'))).status).toBe(200)
	})
})

describe('refusal reasons', () => {
	it('counts each 401 with its reason for the operator, and tells the sender nothing more', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'hmac', preset: 'github', secrets: ['s3cret'] } })
		const res = await postJson(
			echo,
			{ a: 1 },
			{ 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
		)
		expect(res.status).toBe(401)
		expect(await res.json()).toEqual({ error: 'Unauthorized.' })
		await new Promise((r) => setTimeout(r, 1100))
		const { totals } = await activity(echo)
		expect(totals.unauthorized).toBe(1)
		expect(totals.reasons.signature).toBe(1)
	})

	it('tells missing, malformed and wrong credentials apart (API key and basic auth)', async () => {
		const { echo, fail } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'apiKey', keys: ['k1'] } })
		await patchEndpoint(fail, { auth: { type: 'basic', username: 'u', password: 'p' } })
		const statuses = await Promise.all([
			postJson(echo, {}),
			postJson(echo, {}, { 'api-key': 'k2' }),
			postJson(fail, {}),
			postJson(fail, {}, { authorization: 'Basic !!!' }),
			postJson(fail, {}, { authorization: `Basic ${btoa('u:wrong')}` }),
		])
		for (const res of statuses) {
			expect(res.status).toBe(401)
			expect(await res.json()).toEqual({ error: 'Unauthorized.' })
		}
		await new Promise((r) => setTimeout(r, 1100))
		expect((await activity(echo)).totals.reasons).toMatchObject({ missing: 1, signature: 1 })
		expect((await activity(fail)).totals.reasons).toMatchObject({
			missing: 1,
			malformed: 1,
			signature: 1,
		})
	})

	it('counts a handshake refused with 403 (a wrong verify token) as forbidden, reason signature', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { handshakes: [{ type: 'meta', verifyToken: 'right' }] })
		const res = await call(
			`/trigger/${echo}?hub.mode=subscribe&hub.challenge=c&hub.verify_token=wrong`,
		)
		expect(res.status).toBe(403)
		await new Promise((r) => setTimeout(r, 1100))
		const { totals } = await activity(echo)
		expect(totals.forbidden).toBe(1)
		expect(totals.reasons.signature).toBe(1)
		expect(totals.reasons.ip).toBe(0)
	})

	it('404s the activity of an unknown endpoint', async () => {
		expect((await admin(`/api/endpoints/${'b'.repeat(26)}/activity`)).status).toBe(404)
	})
})
