/**
 * Stored forms of execution messages and requests: a JSON part plus the body bytes kept
 * apart (in a BLOB column), so storing a message costs no base64 inflation.
 * @module
 */
import type { ExecutionMessage, RequestEnvelope } from './message'

type StoredBody = { inline: true } | { r2Key: string; size: number }

export function encodeMessage(message: ExecutionMessage): {
	meta: string
	body: Uint8Array | null
} {
	const b = message.request.body
	const body: StoredBody = 'inline' in b ? { inline: true } : b
	return {
		meta: JSON.stringify({ ...message, request: { ...message.request, body } }),
		body: 'inline' in b ? b.inline : null,
	}
}

export function decodeMessage(
	meta: string,
	body: ArrayBuffer | Uint8Array | null,
): ExecutionMessage {
	const parsed = JSON.parse(meta) as Omit<ExecutionMessage, 'request'> & {
		request: Omit<RequestEnvelope, 'body'> & { body: StoredBody }
	}
	const stored = parsed.request.body
	const requestBody: RequestEnvelope['body'] =
		'inline' in stored
			? { inline: body ? new Uint8Array(body) : new Uint8Array(0) }
			: { r2Key: stored.r2Key, size: stored.size }
	return { ...parsed, request: { ...parsed.request, body: requestBody } }
}
