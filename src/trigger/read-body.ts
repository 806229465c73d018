/**
 * Reads a request body into memory without ever holding more than the endpoint allows.
 * @module
 */
import { concatBytes } from '../lib/encoding'

const DIGITS = /^\d+$/

export type BodyRead =
	| { ok: true; bytes: Uint8Array }
	| { ok: false; reason: 'too_large' }
	/**
	 * The sender stopped before the body was complete: `short` when it declared a
	 * Content-Length, `aborted` when the (chunked) stream broke off.
	 */
	| { ok: false; reason: 'short' | 'aborted' }

/**
 * A declared Content-Length over the limit is refused before a byte is read; a body
 * without one (chunked) is counted as it streams and abandoned the moment it passes the
 * limit, so an oversized upload costs at most `limit` bytes of memory.
 *
 * A connection that closes mid-body makes the runtime's read throw ("Network connection
 * lost."); that is the sender's doing, so it is an answer (400), never a 500. A body that
 * ends short of its declared length without an error (a transport that does not enforce
 * the length) is the same case and is never accepted as if it were complete.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<BodyRead> {
	const declared = request.headers.get('content-length')
	if (declared !== null && DIGITS.test(declared)) {
		const length = Number(declared)
		if (length > limit) return { ok: false, reason: 'too_large' }
		// A declared length is enforced by the HTTP layer (the body cannot run past it), so
		// one native read is safe, and cheaper than pulling chunks through JS. (Not touching
		// `request.body` here matters too: it would build a stream object for nothing.)
		let bytes: Uint8Array
		try {
			bytes = new Uint8Array(await request.arrayBuffer())
		} catch {
			return { ok: false, reason: 'short' }
		}
		// Only an unencoded body's length is comparable with Content-Length.
		if (bytes.byteLength < length && !request.headers.has('content-encoding'))
			return { ok: false, reason: 'short' }
		return { ok: true, bytes }
	}
	if (!request.body) return { ok: true, bytes: new Uint8Array(0) }

	const reader = request.body.getReader()
	const chunks: Uint8Array[] = []
	let total = 0
	for (;;) {
		let chunk: ReadableStreamReadResult<Uint8Array>
		try {
			chunk = await reader.read()
		} catch {
			return { ok: false, reason: 'aborted' }
		}
		const { done, value } = chunk
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
