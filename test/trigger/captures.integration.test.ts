/**
 * Values sender handshakes hand over once (Asana's X-Hook-Secret, Notion's
 * verification_token) are kept by the endpoint before the handshake is answered, listed
 * for the operator without their values, shown on request, and adopted as the endpoint's
 * HMAC secret only by the operator.
 */
import { describe, expect, it } from 'vitest'
import { admin, createExamples, patchEndpoint, post, postJson } from '../helpers'

async function hex(algorithm: 'SHA-256', key: string | null, data: string): Promise<string> {
	const bytes = new TextEncoder().encode(data)
	const digest = key
		? await crypto.subtle.sign(
				'HMAC',
				await crypto.subtle.importKey(
					'raw',
					new TextEncoder().encode(key),
					{ name: 'HMAC', hash: algorithm },
					false,
					['sign'],
				),
				bytes,
			)
		: await crypto.subtle.digest(algorithm, bytes)
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

interface CaptureJson {
	id: string
	type: string
	name: string
	capturedAt: string
	fingerprint: string
}

async function captures(endpointId: string): Promise<CaptureJson[]> {
	const res = await admin(`/api/endpoints/${endpointId}/captures`)
	expect(res.status).toBe(200)
	return ((await res.json()) as { captures: CaptureJson[] }).captures
}

describe('handshake captures', () => {
	it('keeps the X-Hook-Secret Asana hands over, and the operator adopts it as the HMAC secret', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, {
			handshakes: [{ type: 'asana' }],
			auth: {
				type: 'hmac',
				algorithm: 'sha256',
				header: 'x-hook-signature',
				encoding: 'hex',
				secrets: ['placeholder-until-asana-hands-one-over'],
			},
		})
		const secret = 'b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81'
		const handshake = await post(echo, null, { 'x-hook-secret': secret })
		expect(handshake.status).toBe(200)
		expect(handshake.headers.get('x-hook-secret')).toBe(secret)
		expect(handshake.headers.get('triggerflare-execution-id')).toBeNull()

		const [kept, ...others] = await captures(echo)
		expect(others).toEqual([])
		expect(kept).toMatchObject({
			type: 'asana',
			name: 'X-Hook-Secret',
			fingerprint: (await hex('SHA-256', null, secret)).slice(0, 12),
		})
		const listed = await (await admin(`/api/endpoints/${echo}/captures`)).text()
		expect(listed).not.toContain(secret)

		const revealed = await admin(`/api/endpoints/${echo}/captures/${kept?.id}/reveal`, {
			method: 'POST',
		})
		expect(revealed.headers.get('cache-control')).toBe('no-store')
		expect(await revealed.json()).toEqual({ value: secret })

		// Before adoption Asana's signed events are refused; after, they are accepted.
		const event = JSON.stringify({ events: [{ action: 'changed' }] })
		const signature = await hex('SHA-256', secret, event)
		const headers = { 'content-type': 'application/json', 'x-hook-signature': signature }
		expect((await post(echo, event, headers)).status).toBe(401)
		const adopted = await admin(`/api/endpoints/${echo}/captures/${kept?.id}/adopt?replace=true`, {
			method: 'POST',
		})
		expect(adopted.status).toBe(200)
		expect(((await adopted.json()) as { auth: { secrets: number } }).auth.secrets).toBe(1)
		expect(await captures(echo)).toEqual([])
		expect((await post(echo, event, headers)).status).toBe(200)
	})

	it('keeps Notion’s verification token for the operator to read, never echoing it', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { handshakes: [{ type: 'notion' }] })
		const token = 'secret_tMrlL1qK5vuQAh1b6cZGhFChZTSYJlce98V0pYn7yBl'
		const res = await postJson(echo, { verification_token: token })
		expect(res.status).toBe(200)
		expect(await res.text()).not.toContain(token)
		const [kept] = await captures(echo)
		expect(kept).toMatchObject({ type: 'notion', name: 'verification_token' })
		const revealed = await admin(`/api/endpoints/${echo}/captures/${kept?.id}/reveal`, {
			method: 'POST',
		})
		expect(await revealed.json()).toEqual({ value: token })

		// Adoption needs HMAC auth on the endpoint.
		const refused = await admin(`/api/endpoints/${echo}/captures/${kept?.id}/adopt`, {
			method: 'POST',
		})
		expect(refused.status).toBe(409)
		expect(await refused.json()).toEqual({
			error: 'Only an endpoint with HMAC auth can adopt a capture: set its auth first.',
		})
	})

	it('keeps the newest five, and refuses handovers past ten a minute with 429', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { handshakes: [{ type: 'rest-hooks' }] })
		for (let i = 0; i < 10; i++) {
			expect((await post(echo, null, { 'x-hook-secret': `secret-${i}` })).status).toBe(200)
		}
		const flood = await post(echo, null, { 'x-hook-secret': 'secret-10' })
		expect(flood.status).toBe(429)
		expect(flood.headers.get('retry-after')).toBe('60')
		expect(flood.headers.get('x-hook-secret')).toBeNull()
		const kept = await captures(echo)
		expect(kept).toHaveLength(5)
		const newest = await admin(`/api/endpoints/${echo}/captures/${kept[0]?.id}/reveal`, {
			method: 'POST',
		})
		expect(await newest.json()).toEqual({ value: 'secret-9' })
	})

	it('answers 404 for an unknown capture or endpoint, and 400 for a malformed capture id', async () => {
		const { echo } = await createExamples()
		const unknown = crypto.randomUUID()
		for (const action of ['reveal', 'adopt']) {
			const res = await admin(`/api/endpoints/${echo}/captures/${unknown}/${action}`, {
				method: 'POST',
			})
			expect(res.status).toBe(404)
			expect(await res.json()).toEqual({ error: 'Capture not found.' })
		}
		expect((await admin(`/api/endpoints/${'c'.repeat(26)}/captures`)).status).toBe(404)
		expect(
			(await admin(`/api/endpoints/${echo}/captures/nope/reveal`, { method: 'POST' })).status,
		).toBe(400)
	})
})
