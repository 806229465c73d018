/**
 * The stored form of a request: a JSON part plus the body bytes kept apart (in a BLOB
 * column), so storing one costs no base64 inflation.
 * @module
 */
import type { RequestEnvelope } from './message'

type StoredBody = { inline: true } | { r2Key: string; size: number }
type StoredRequest = Omit<RequestEnvelope, 'body'> & { body: StoredBody }

export function encodeRequest(request: RequestEnvelope): {
	meta: StoredRequest
	body: Uint8Array | null
} {
	const b = request.body
	return {
		meta: { ...request, body: 'inline' in b ? { inline: true } : b },
		body: 'inline' in b ? b.inline : null,
	}
}

export function decodeRequest(
	meta: StoredRequest,
	body: ArrayBuffer | Uint8Array | null,
): RequestEnvelope {
	const stored = meta.body
	const requestBody: RequestEnvelope['body'] =
		'inline' in stored
			? { inline: body ? new Uint8Array(body) : new Uint8Array(0) }
			: { r2Key: stored.r2Key, size: stored.size }
	return { ...meta, body: requestBody }
}
