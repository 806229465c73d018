/**
 * Builds the trigger payload a flow receives from a stored request envelope.
 * @module
 */

import type { RequestEnvelope } from '../execution/message'
import type { TriggerPayload } from '../integrations/define'
import { parseBody, searchParamsToObject } from './parse-body'

export interface PayloadIdentity {
	executionId: string
	endpointId: string
	instanceId: string
	flow: string
	sequence: number
	webhookUrls: Record<string, string>
	webhookApiKeys: Record<string, string[]>
	invokeUrl?: string
}

export function headersToObject(pairs: Iterable<[string, string]>): Record<string, string> {
	const out: Record<string, string> = {}
	for (const [k, v] of pairs) {
		const key = k.toLowerCase()
		// Headers repeated on the wire arrive joined by the runtime; join ours the same way.
		out[key] = key in out ? `${out[key]}, ${v}` : v
	}
	return out
}

export type PayloadResult =
	| { ok: true; payload: TriggerPayload }
	| { ok: false; kind: 'json' | 'xml' | 'multipart' | 'form' }

export function buildPayload(
	envelope: RequestEnvelope,
	bytes: Uint8Array,
	identity: PayloadIdentity,
): PayloadResult {
	const parsed = parseBody(bytes, envelope.contentType)
	if (!parsed.ok) return parsed
	const payload: TriggerPayload = {
		body: { data: parsed.data, contentType: envelope.contentType },
		rawBody: { data: bytes },
		headers: headersToObject(envelope.headers),
		queryParameters: searchParamsToObject(new URL(envelope.url).searchParams),
		pathFragment: envelope.pathFragment,
		method: envelope.method,
		webhookUrls: identity.webhookUrls,
		webhookApiKeys: identity.webhookApiKeys,
		executionId: identity.executionId,
		endpointId: identity.endpointId,
		instanceId: identity.instanceId,
		flow: identity.flow,
		sequence: identity.sequence,
		receivedAt: new Date(envelope.receivedAt).toISOString(),
	}
	if (identity.invokeUrl !== undefined) payload.invokeUrl = identity.invokeUrl
	return { ok: true, payload }
}
