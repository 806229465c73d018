/**
 * The gateway state every scenario starts from, created through the admin API:
 * a pool of 40+ endpoints for the spread-out scenarios, and one fresh endpoint per
 * single-endpoint scenario so their execution records are theirs alone.
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { githubSignature, jsonBody } from './payloads.mjs'

/**
 * Flows of the examples integration left out of the pool: `fail` fails by design (its
 * retries would add load nobody asked for); `digest` endpoints are kept apart for `large`.
 */
const NOT_IN_POOL = new Set(['fail', 'digest'])
const POOL_SIZE = 40

/**
 * @typedef {object} Fixtures
 * @property {string[]} pool endpoint ids, rate limit raised to 1000 rps
 * @property {string[]} digests the pool instances' `digest` endpoints, configured as the pool
 * @property {string[]} echoes the pool's `echo` endpoints
 * @property {string | null} secret the github-preset secret, null when auth fell back to none
 * @property {string} authNote how the pool and the forged-flood endpoint authenticate
 * @property {string} hot an echo endpoint with default settings (50 rps, no auth)
 * @property {string} flood another such endpoint, for the closed-loop 429 scenario
 * @property {string | null} forged an echo endpoint with github-preset auth, default rate
 * @property {string} fifo an echo endpoint for the FIFO scenario (configured there)
 */

/**
 * @param {import('./admin.mjs').Admin} admin
 * @param {(msg: string) => void} log
 * @returns {Promise<Fixtures>}
 */
export async function createFixtures(admin, log) {
	const pool = []
	const digests = []
	const echoes = []
	let instances = 0
	while (pool.length < POOL_SIZE && instances < 100) {
		const endpoints = await admin.createInstance('examples')
		instances++
		pool.push(...endpoints.filter((e) => !NOT_IN_POOL.has(e.flow)).map((e) => e.id))
		digests.push(...endpoints.filter((e) => e.flow === 'digest').map((e) => e.id))
		echoes.push(...endpoints.filter((e) => e.flow === 'echo').map((e) => e.id))
	}
	log(`fixtures: ${instances} instances of examples, ${pool.length} endpoints in the pool`)
	const echoOf = async () => {
		const endpoints = await admin.createInstance('examples')
		return (endpoints.find((e) => e.flow === 'echo') ?? endpoints[0]).id
	}
	const [hot, flood, forged, fifo] = [
		await echoOf(),
		await echoOf(),
		await echoOf(),
		await echoOf(),
	]

	const secret = randomBytes(24).toString('hex')
	const hmac = { type: 'hmac', preset: 'github', secrets: [secret] }
	const probe = await probeGithubAuth(admin, pool[0], hmac, secret)
	const auth = probe.ok ? hmac : { type: 'none' }
	await parallel([...pool, ...digests], 8, async (id) => {
		const res = await admin.patchEndpoint(id, { auth, rateLimit: { requestsPerSecond: 1000 } })
		if (res.status !== 200)
			throw new Error(`PATCH ${id} → ${res.status} ${JSON.stringify(res.body)}`)
	})
	if (probe.ok) await admin.patchEndpoint(forged, { auth: hmac })
	const authNote = probe.ok ? 'hmac github' : `auth none (github preset unavailable: ${probe.why})`
	log(`fixtures: pool auth = ${authNote}`)
	return {
		pool,
		digests,
		echoes,
		secret: probe.ok ? secret : null,
		authNote,
		hot,
		flood,
		forged: probe.ok ? forged : null,
		fifo,
	}
}

/**
 * Configures one endpoint with the github preset and sends one genuinely signed request.
 * The preset may not exist yet (another change is adding it): then the PATCH is refused
 * or the signed request gets 401, and the benchmarks run without signatures.
 */
async function probeGithubAuth(admin, endpoint, hmac, secret) {
	const patched = await admin.patchEndpoint(endpoint, { auth: hmac })
	if (patched.status !== 200) return { ok: false, why: `PATCH → ${patched.status}` }
	const body = jsonBody(1024, 'probe')
	const res = await fetch(`${admin.origin}/trigger/${endpoint}`, {
		method: 'POST',
		headers: withDelivery(githubHeaders(body, secret)),
		body,
	})
	await res.arrayBuffer()
	if (res.status !== 200) return { ok: false, why: `signed request → ${res.status}` }
	// A preset that accepts anything would make every auth figure meaningless.
	const forged = await fetch(`${admin.origin}/trigger/${endpoint}`, {
		method: 'POST',
		headers: withDelivery(githubHeaders(body, `${secret}-wrong`)),
		body,
	})
	await forged.arrayBuffer()
	if (forged.status !== 401) return { ok: false, why: `forged request → ${forged.status}` }
	return { ok: true, why: '' }
}

/**
 * The headers GitHub sends with a delivery of `body`, except the delivery id (see
 * `withDelivery`). Computed once per body: the generator should not spend its CPU hashing.
 * @param {string | Buffer} body
 * @param {string | null} secret null: unsigned
 * @param {string} [contentType]
 * @returns {Record<string, string>}
 */
export function githubHeaders(body, secret, contentType = 'application/json') {
	/** @type {Record<string, string>} */
	const headers = {
		'content-type': contentType,
		'user-agent': 'GitHub-Hookshot/bench',
		'x-github-event': 'push',
	}
	if (secret) headers['x-hub-signature-256'] = githubSignature(secret, body)
	return headers
}

/**
 * Adds a fresh `x-github-delivery`. Unique per request, as GitHub's are; the gateway
 * remembers each one for dedupe, and that bookkeeping is part of what is measured.
 * @param {Record<string, string>} headers
 */
export const withDelivery = (headers) => ({ ...headers, 'x-github-delivery': randomUUID() })

/** Runs `fn` over `items`, at most `width` at a time. */
export async function parallel(items, width, fn) {
	let next = 0
	const workers = Array.from({ length: Math.min(width, items.length) }, async () => {
		while (next < items.length) await fn(items[next++])
	})
	await Promise.all(workers)
}
