/**
 * The raw request archive in R2, the source of replays: every header (signatures
 * included), the exact body bytes, path and query as received.
 * @module
 */
import type { Env } from '../env'
import { base64ToBytes, bytesToBase64 } from '../lib/encoding'
import type { RequestEnvelope } from './message'

/** The body of a stored request: inline bytes, or the R2 object it was moved to. */
export async function requestBodyBytes(
	env: Env,
	request: RequestEnvelope,
): Promise<Uint8Array | null> {
	if ('inline' in request.body) return request.body.inline
	const obj = await env.STORE.get(request.body.r2Key)
	return obj ? new Uint8Array(await obj.arrayBuffer()) : null
}

export const archiveKey = (executionId: string): string => `archive/${executionId}`

type ArchivedBody = { base64: string } | { r2Key: string; size: number }

export async function archiveRequest(
	env: Env,
	executionId: string,
	request: RequestEnvelope,
): Promise<void> {
	const body: ArchivedBody =
		'inline' in request.body ? { base64: bytesToBase64(request.body.inline) } : request.body
	await env.STORE.put(archiveKey(executionId), JSON.stringify({ ...request, body }), {
		httpMetadata: { contentType: 'application/json' },
	})
}

export async function loadArchivedRequest(
	env: Env,
	executionId: string,
): Promise<RequestEnvelope | null> {
	const obj = await env.STORE.get(archiveKey(executionId))
	if (!obj) return null
	const stored = (await obj.json()) as Omit<RequestEnvelope, 'body'> & { body: ArchivedBody }
	const body: RequestEnvelope['body'] =
		'base64' in stored.body ? { inline: base64ToBytes(stored.body.base64) } : stored.body
	return { ...stored, body }
}
