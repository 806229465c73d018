/**
 * Which flow, and which instance, a request to an endpoint is for. Pure.
 * `instance-flow` endpoints know both; `instance` endpoints choose the flow per request;
 * `shared` endpoints choose the instance and the flow. The integration's `route()` wins
 * over its selectors.
 * @module
 */
import type { EndpointConfig, InstanceSnapshot } from '../endpoint/config'
import type { IntegrationDefinition, TriggerPayload } from '../integrations/define'
import { parseSelector, select } from '../lib/selector'

export type Route =
	| { ok: true; flow: string; instance: InstanceSnapshot }
	| { ok: false; message: string }

type RoutingInput = Pick<
	TriggerPayload,
	'body' | 'headers' | 'queryParameters' | 'pathFragment' | 'method'
>

function bySelector(selector: string | undefined, input: RoutingInput): string | undefined {
	const parsed = selector ? parseSelector(selector) : null
	return parsed ? select(parsed, { headers: input.headers, body: input.body.data }) : undefined
}

export function routeRequest(
	config: EndpointConfig,
	integration: IntegrationDefinition,
	input: RoutingInput,
): Route {
	if (config.endpointMode === 'instance-flow') {
		return config.instance
			? { ok: true, flow: config.flow, instance: config.instance }
			: { ok: false, message: 'No instance serves this endpoint.' }
	}
	const routed = integration.route?.(input)
	const flows = Object.keys(integration.flows)
	const flow =
		routed?.flow ??
		bySelector(integration.flowSelector, input) ??
		(flows.length === 1 ? flows[0] : undefined)
	let instance: InstanceSnapshot | null | undefined = config.instance
	if (config.endpointMode === 'shared') {
		const key = routed?.instance ?? bySelector(integration.instanceSelector, input)
		instance =
			key !== undefined && Object.hasOwn(config.sharedInstances, key)
				? config.sharedInstances[key]
				: undefined
		if (!instance) return { ok: false, message: 'No instance matches this request.' }
	}
	if (!instance) return { ok: false, message: 'No instance serves this endpoint.' }
	if (!flow || !Object.hasOwn(integration.flows, flow)) {
		return { ok: false, message: 'No flow matches this request.' }
	}
	return { ok: true, flow, instance }
}
