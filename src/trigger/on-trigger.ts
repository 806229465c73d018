/**
 * Runs a flow's `onTrigger` on the request path: it may answer the sender itself
 * (challenges, custom acknowledgements) and may decide that no execution starts.
 * @module
 */
import type { InstanceSnapshot } from '../endpoint/config'
import type { IntegrationDefinition, TriggerPayload, TriggerResult } from '../integrations/define'
import { describe, GatewayError } from '../lib/errors'
import { NULL_BODY_STATUSES } from './respond'

export function hasOnTrigger(integration: IntegrationDefinition, flowName: string): boolean {
	return integration.flows[flowName]?.onTrigger !== undefined
}

export async function runOnTrigger(
	integration: IntegrationDefinition,
	flowName: string,
	instance: InstanceSnapshot,
	input: Pick<TriggerPayload, 'body' | 'headers' | 'queryParameters' | 'pathFragment' | 'method'>,
	// invokeUrl is a thunk: most flows have no onTrigger, and the URL is not free to build.
	ids: { endpointId: string; invokeUrl: () => string },
): Promise<TriggerResult | undefined> {
	const flow = integration.flows[flowName]
	if (!flow?.onTrigger) return undefined
	// The execution does not exist yet: identity fields are empty until it is accepted.
	const payload: TriggerPayload = {
		...input,
		rawBody: { data: new Uint8Array(0) },
		webhookUrls: instance.webhookUrls,
		webhookApiKeys: instance.webhookApiKeys,
		invokeUrl: ids.invokeUrl(),
		executionId: '',
		endpointId: ids.endpointId,
		instanceId: instance.id,
		flow: flowName,
		sequence: 0,
		receivedAt: new Date().toISOString(),
	}
	try {
		return await flow.onTrigger(
			{
				instance: { id: instance.id, name: instance.name },
				config: instance.config,
				webhookUrls: instance.webhookUrls,
				flow: flowName,
			},
			payload,
		)
	} catch (err) {
		// A throwing onTrigger refuses the request (it validates senders, e.g. a shape check).
		throw new GatewayError(400, 'bad_request', describe(err))
	}
}

export function triggerResponse(r: NonNullable<TriggerResult['response']>): Response {
	const status = r.status ?? 200
	return new Response(NULL_BODY_STATUSES.has(status) ? null : (r.body ?? ''), {
		status,
		headers: {
			...r.headers,
			'content-type': r.contentType ?? 'text/plain; charset=utf-8',
			// Echoed values must never be sniffed into HTML.
			'x-content-type-options': 'nosniff',
		},
	})
}
