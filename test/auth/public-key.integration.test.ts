/**
 * The `publicKey` auth type through the admin API and the trigger route: keys validated on
 * write (400 naming the field), shown on read, and Discord's Ed25519 signature checked on
 * every request.
 */
import { describe, expect, it } from 'vitest'
import { type AuthConfig, signRequest } from '../../src/auth'
import { admin, call, createExamples, patchEndpoint } from '../helpers'

const hex = (bytes: ArrayBuffer) =>
	Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('')

async function discordKeys() {
	const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
		'sign',
		'verify',
	])) as CryptoKeyPair
	const publicKey = hex((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer)
	return { privateKey: pair.privateKey, publicKey }
}

async function send(endpoint: string, auth: AuthConfig, privateKey: CryptoKey, body: string) {
	const url = `https://gateway.test/trigger/${endpoint}`
	const headers = { 'content-type': 'application/json' }
	const signature = await signRequest(
		auth,
		{ method: 'POST', url, headers, body: new TextEncoder().encode(body), now: Date.now() },
		{ privateKey },
	)
	return { headers: { ...headers, ...signature }, body }
}

describe('publicKey auth on an endpoint', () => {
	it('refuses a malformed public key with a 400 naming the field', async () => {
		const { echo } = await createExamples()
		const res = await patchEndpoint(echo, {
			auth: { type: 'publicKey', preset: 'discord', keys: ['not-a-key'] },
		})
		expect(res.status).toBe(400)
		const { error } = (await res.json()) as { error: string }
		expect(error).toMatch(/^Invalid request: auth\.keys\.0: /)
	})

	it('stores the key, shows it on read, and accepts only requests it signed', async () => {
		const { echo } = await createExamples()
		const { privateKey, publicKey } = await discordKeys()
		const auth: AuthConfig = { type: 'publicKey', preset: 'discord', keys: [publicKey] }
		expect((await patchEndpoint(echo, { auth })).status).toBe(200)
		const read = (await (await admin(`/api/endpoints/${echo}`)).json()) as { auth: unknown }
		expect(read.auth).toEqual(auth)

		const body = JSON.stringify({ id: '787053080478613555', type: 2, token: 't' })
		const genuine = await send(echo, auth, privateKey, body)
		const first = await call(`/trigger/${echo}`, { method: 'POST', ...genuine })
		expect(first.status).toBe(200)
		// The interaction id is the delivery id: the same interaction twice is one execution.
		const again = await call(`/trigger/${echo}`, { method: 'POST', ...genuine })
		const ids = await Promise.all(
			[first, again].map(async (r) => ((await r.json()) as { executionId: string }).executionId),
		)
		expect(ids[1]).toBe(ids[0])

		const tampered = { ...genuine, body: body.replace('787053080478613555', '1') }
		expect((await call(`/trigger/${echo}`, { method: 'POST', ...tampered })).status).toBe(401)
		const stranger = await discordKeys()
		const forged = await send(echo, auth, stranger.privateKey, body)
		expect((await call(`/trigger/${echo}`, { method: 'POST', ...forged })).status).toBe(401)
	})
})
