/**
 * Where a received request is read back from, for the consumer, replays and the console:
 * every header (signatures included), the exact body bytes, path and query as received.
 *
 * The EndpointDO keeps each request with its execution row; bodies too large for a queue
 * message live in R2 under `requests/` and the row holds the reference. Executions
 * recorded before the row kept requests have an R2 archive object instead, which is
 * still read.
 * @module
 */
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { base64ToBytes } from '../lib/encoding'
import { parseExecutionId } from '../lib/ids'
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

/** The request an execution was recorded with (for the console), or null if none is known. */
export async function loadStoredRequest(
	env: Env,
	executionId: string,
): Promise<RequestEnvelope | null> {
	const parsed = parseExecutionId(executionId)
	if (!parsed) return null
	const kept = await endpointStub(env, parsed.endpointId).requestOf(parsed.sequence)
	return kept ?? (await loadLegacyArchive(env, executionId))
}

type ArchivedBody = { base64: string } | { r2Key: string; size: number }

/** An R2 archive object written by gateways before requests were kept in the DO. */
export async function loadLegacyArchive(
	env: Env,
	executionId: string,
): Promise<RequestEnvelope | null> {
	const obj = await env.STORE.get(`archive/${executionId}`)
	if (!obj) return null
	const stored = (await obj.json()) as Omit<RequestEnvelope, 'body'> & { body: ArchivedBody }
	const body: RequestEnvelope['body'] =
		'base64' in stored.body ? { inline: base64ToBytes(stored.body.base64) } : stored.body
	return { ...stored, body }
}
