/**
 * Reads a request body into memory without ever holding more than the endpoint allows.
 * @module
 */
import { concatBytes } from '../lib/encoding'

const DIGITS = /^\d+$/

export type BodyRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too_large' }

/**
 * A declared Content-Length over the limit is refused before a byte is read; a body
 * without one (chunked) is counted as it streams and abandoned the moment it passes the
 * limit, so an oversized upload costs at most `limit` bytes of memory.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<BodyRead> {
	const declared = request.headers.get('content-length')
	if (declared !== null && DIGITS.test(declared)) {
		if (Number(declared) > limit) return { ok: false, reason: 'too_large' }
		// A declared length is enforced by the HTTP layer (the body cannot run past it), so
		// one native read is safe, and cheaper than pulling chunks through JS. (Not touching
		// `request.body` here matters too: it would build a stream object for nothing.)
		return { ok: true, bytes: new Uint8Array(await request.arrayBuffer()) }
	}
	if (!request.body) return { ok: true, bytes: new Uint8Array(0) }

	const reader = request.body.getReader()
	const chunks: Uint8Array[] = []
	let total = 0
	for (;;) {
		const { done, value } = await reader.read()
		if (done) break
		total += value.byteLength
		if (total > limit) {
			await reader.cancel().catch(() => {})
			return { ok: false, reason: 'too_large' }
		}
		chunks.push(value)
	}
	if (chunks.length === 1) return { ok: true, bytes: chunks[0] as Uint8Array }
	return { ok: true, bytes: concatBytes(...chunks) }
}
