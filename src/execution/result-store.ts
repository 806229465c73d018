/**
 * Flow results, served by the result URL. Large ones go to R2; a small one (most
 * webhook flows' results, synchronous or not) travels back to its EndpointDO with the
 * completion report and is kept in the execution row, saving an R2 write per execution.
 * @module
 */
import type { Env } from '../env'
import { concatBytes } from '../lib/encoding'
import { describe } from '../lib/errors'
import { DEFAULT_RESULT_TTL_SECONDS, INLINE_RESULT_MAX_BYTES } from '../limits'
import type { ChunkedBody } from './result-body'
import { serializeResult } from './run-flow'

/** What the EndpointDO records about a result; `inline` when the bytes live in its row. */
export interface StoredResult {
	contentType: string
	size: number
	expiresAt: number
	inline?: Uint8Array
}

export const resultKey = (executionId: string): string => `results/${executionId}`

export function resultTtlSeconds(env: Env): number {
	const n = Number(env.RESULT_TTL_SECONDS)
	return Number.isFinite(n) && n > 0 ? n : DEFAULT_RESULT_TTL_SECONDS
}

/**
 * A result the flow returned that cannot be written down (nested too deeply, a BigInt,
 * a cycle): the flow's failure, not the gateway's, so it is reported as the attempt's
 * error instead of being retried as infrastructure trouble.
 */
export class UnstorableResultError extends Error {
	override name = 'UnstorableResultError'
}

/**
 * Stores a result: in its execution row when small (the caller carries it back in the
 * completion report), else in R2, with its token and expiry in custom metadata, which
 * the results route checks (R2 lifecycle rules delete expired objects only eventually).
 */
export async function storeResult(
	env: Env,
	executionId: string,
	token: string,
	result: unknown,
): Promise<StoredResult> {
	let serialized: ReturnType<typeof serializeResult>
	try {
		serialized = serializeResult(result)
	} catch (err) {
		throw new UnstorableResultError(`Flow result could not be stored: ${describe(err)}`)
	}
	const { body, contentType } = serialized
	const expiresAt = Date.now() + resultTtlSeconds(env) * 1000
	const options = {
		httpMetadata: { contentType },
		customMetadata: { token, expiresAt: String(expiresAt) },
	}
	const key = resultKey(executionId)
	// A chunked body is never small: it exists only for a large binary value.
	if (!(typeof body === 'string' || body instanceof Uint8Array)) {
		const obj = await putChunked(env.STORE, key, body, options)
		return { contentType, size: obj?.size ?? 0, expiresAt }
	}
	// A string never has more UTF-16 units than UTF-8 bytes, so a long one is not
	// encoded (copied) just to learn that it is too large.
	if (body.length <= INLINE_RESULT_MAX_BYTES) {
		const bytes = typeof body === 'string' ? concatBytes(body) : body
		if (bytes.byteLength <= INLINE_RESULT_MAX_BYTES) {
			return { contentType, size: bytes.byteLength, expiresAt, inline: bytes }
		}
	}
	const obj = await env.STORE.put(key, body, options)
	return { contentType, size: obj?.size ?? 0, expiresAt }
}

/**
 * R2 takes a stream only with its length known up front, hence FixedLengthStream. The
 * chunks are written as R2 reads them, so one slice is in memory at a time.
 */
async function putChunked(
	bucket: R2Bucket,
	key: string,
	body: ChunkedBody,
	options: R2PutOptions,
): Promise<R2Object | null> {
	const { readable, writable } = new FixedLengthStream(body.length)
	const writer = writable.getWriter()
	const writing = (async () => {
		for (const chunk of body.chunks()) await writer.write(chunk)
		await writer.close()
	})()
	try {
		const [obj] = await Promise.all([bucket.put(key, readable, options), writing])
		return obj
	} catch (err) {
		// Whichever side failed, the other must not wait on it for ever.
		await writer.abort(err).catch(() => {})
		await writing.catch(() => {})
		throw err
	}
}
