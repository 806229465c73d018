/**
 * What deploying an instance creates: its endpoints (with each flow's defaults), trigger
 * URLs and generated API keys. Pure: ids and time are passed in.
 * @module
 */
import type { AuthConfig } from '../auth'
import {
	defaultEndpointConfig,
	type EndpointConfig,
	type EndpointMode,
	type InstanceSnapshot,
} from '../endpoint/config'
import type { JsonObject } from '../lib/json'
import { triggerUrl } from '../lib/urls'
import type { DataIntegrationCopy } from './data/runtime'
import type { FlowDefinition, IntegrationDefinition } from './define'

export interface PlanInput {
	integration: IntegrationDefinition
	instance: { id: string; name: string; routingKey: string; config: JsonObject }
	mode: EndpointMode
	origin: string
	now: string
	newEndpointId: () => string
	newApiKey: () => string
	/** The integration's existing shared endpoint, if any (shared mode). */
	sharedEndpointId: string | null
	/** A data integration's definition and version, kept by every endpoint it creates. */
	dataIntegration?: DataIntegrationCopy | null
}

export interface InstancePlan {
	snapshot: InstanceSnapshot
	endpoints: Array<{ id: string; flow: string }>
	/** Endpoints to create with this config; a reused shared endpoint is not among them. */
	create: EndpointConfig[]
}

/** The endpoint auth a flow asks for, with secrets taken from the instance config. */
function flowAuth(
	flow: FlowDefinition,
	config: JsonObject,
	apiKeys: string[] | undefined,
): AuthConfig {
	const auth = flow.auth
	if (!auth || auth.type === 'none') return { type: 'none' }
	if (auth.type === 'apiKey')
		return { type: 'apiKey', header: auth.header ?? 'api-key', keys: apiKeys ?? [] }
	if (auth.type === 'basic') {
		return {
			type: 'basic',
			username: String(config[auth.usernameConfig] ?? ''),
			password: String(config[auth.passwordConfig] ?? ''),
		}
	}
	if (auth.type === 'publicKey') {
		return auth.preset === 'aws-sns'
			? {
					type: 'publicKey',
					preset: 'aws-sns',
					topicArns: configList(config[auth.topicArnsConfig]),
				}
			: { type: 'publicKey', preset: auth.preset, keys: configList(config[auth.keyConfig]) }
	}
	const { secretConfig, type, ...scheme } = auth
	return { type, ...scheme, secrets: [String(config[secretConfig] ?? '')] } as AuthConfig
}

/** A config value that holds one item or a list of them, as a list of strings. */
function configList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String)
	return value === undefined || value === null || value === '' ? [] : [String(value)]
}

export function planInstance(input: PlanInput): InstancePlan {
	const { integration, instance, mode, origin, now } = input
	const flowNames = Object.keys(integration.flows)
	const webhookApiKeys: Record<string, string[]> = {}
	for (const name of flowNames) {
		if (integration.flows[name]?.auth?.type === 'apiKey') webhookApiKeys[name] = [input.newApiKey()]
	}

	if (mode === 'instance-flow') {
		const endpoints = flowNames.map((flow) => ({ id: input.newEndpointId(), flow }))
		const webhookUrls = Object.fromEntries(endpoints.map((e) => [e.flow, triggerUrl(origin, e.id)]))
		const snapshot: InstanceSnapshot = { ...instance, webhookUrls, webhookApiKeys, state: {} }
		const create = endpoints.map((e) => {
			const flow = integration.flows[e.flow] as FlowDefinition
			const base = defaultEndpointConfig(
				{
					id: e.id,
					integration: integration.name,
					flow: e.flow,
					instance: snapshot,
					endpointMode: mode,
				},
				now,
			)
			return {
				...base,
				...copyOf(input),
				auth: flowAuth(flow, instance.config, webhookApiKeys[e.flow]),
				fifo: flow.fifo ?? base.fifo,
				mode: flow.mode ?? base.mode,
				handshakes: flow.handshakes ?? base.handshakes,
				response: flow.response
					? 'preset' in flow.response
						? flow.response
						: {
								status: flow.response.status ?? 200,
								contentType: flow.response.contentType ?? 'text/plain; charset=utf-8',
								body: flow.response.body ?? '',
								headers: flow.response.headers ?? {},
							}
					: base.response,
			}
		})
		return { snapshot, endpoints, create }
	}

	// One endpoint serves every flow: of this instance (`instance`) or of all instances (`shared`).
	const reuse = mode === 'shared' ? input.sharedEndpointId : null
	const endpointId = reuse ?? input.newEndpointId()
	const url = triggerUrl(origin, endpointId)
	const webhookUrls = Object.fromEntries(flowNames.map((f) => [f, url]))
	// One key opens the shared door for every flow of the instance.
	const key = Object.values(webhookApiKeys)[0]
	if (key) for (const name of flowNames) webhookApiKeys[name] = key
	const snapshot: InstanceSnapshot = { ...instance, webhookUrls, webhookApiKeys, state: {} }
	const endpoints = flowNames.map((flow) => ({ id: endpointId, flow }))
	if (reuse) return { snapshot, endpoints, create: [] }
	const base = defaultEndpointConfig(
		mode === 'shared'
			? {
					id: endpointId,
					integration: integration.name,
					flow: '',
					instance: null,
					endpointMode: mode,
					sharedInstances: { [instance.routingKey]: snapshot },
				}
			: {
					id: endpointId,
					integration: integration.name,
					flow: '',
					instance: snapshot,
					endpointMode: mode,
				},
		now,
	)
	// An `instance` endpoint serves all the instance's flows: their auth applies when they
	// all declare the same. (A shared endpoint serves many instances: no one instance's
	// secret can guard it; set its auth with PATCH.)
	const auths = new Set(
		flowNames.map((f) => JSON.stringify(integration.flows[f]?.auth ?? { type: 'none' })),
	)
	const first = integration.flows[flowNames[0] as string]
	const auth =
		mode === 'instance' && auths.size === 1 && first
			? flowAuth(first, instance.config, key)
			: base.auth
	return { snapshot, endpoints, create: [{ ...base, ...copyOf(input), auth }] }
}

const copyOf = (input: PlanInput): Pick<EndpointConfig, 'dataIntegration'> =>
	input.dataIntegration ? { dataIntegration: input.dataIntegration } : {}
