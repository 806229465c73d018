/**
 * What sender authentication costs per request: HMAC-SHA256 verification through the
 * github authenticator (header parsing, cached keys, every secret checked) against a bare
 * `crypto.subtle.verify` of the same bytes with a pre-imported key.
 * @module
 */
import { test } from 'vitest'
import { createAuthenticator, type SignedRequest } from '../../src/auth'

const SECRET = 'benchmark-webhook-secret'
const encoder = new TextEncoder()

function body(size: number): Uint8Array {
	const bytes = new Uint8Array(size)
	// Printable, JSON-like filler; the content does not change HMAC cost.
	for (let i = 0; i < size; i++) bytes[i] = 0x61 + (i % 26)
	return bytes
}

const hex = (bytes: Uint8Array) =>
	Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

const key = await crypto.subtle.importKey(
	'raw',
	encoder.encode(SECRET),
	{ name: 'HMAC', hash: 'SHA-256' },
	false,
	['sign', 'verify'],
)

for (const [label, size] of [
	['1 KB', 1024],
	['1 MB', 1024 * 1024],
] as const) {
	const rawBody = body(size)
	const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, rawBody))
	const headers = new Headers({ 'x-hub-signature-256': `sha256=${hex(signature)}` })
	const authenticator = createAuthenticator({ type: 'hmac', preset: 'github', secrets: [SECRET] })
	const request: SignedRequest = {
		method: 'POST',
		url: 'https://bench.test/trigger/x',
		headers,
		rawBody,
		now: Date.now(),
	}
	// Warm the key cache, as a cached endpoint config would be.
	if (!(await authenticator.verify(request)).ok)
		throw new Error('benchmark request does not verify')

	// Vitest 5 registers benchmarks from the test context and prints a comparison table.
	test(`HMAC-SHA256 verification, ${label} body`, async ({ bench }) => {
		await bench.compare(
			bench('github authenticator', async () => {
				await authenticator.verify(request)
			}),
			bench('raw crypto.subtle.verify (pre-imported key)', async () => {
				await crypto.subtle.verify('HMAC', key, signature, rawBody)
			}),
		)
	})
}
