/**
 * An endpoint's configuration: what the admin API accepts and what the EndpointDO keeps.
 * @module
 */
import { z } from 'zod'
import { type AuthConfig, authConfigSchema, redactAuthConfig } from '../auth'
import { type HandshakeConfig, handshakeListSchema, redactHandshakes } from '../handshakes'
import type { DataIntegrationCopy } from '../integrations/data/runtime'
import type { JsonObject } from '../lib/json'
import {
	DEFAULT_MAX_BODY_BYTES,
	DEFAULT_REQUESTS_PER_SECOND,
	MAX_BODY_BYTES_CEILING,
	MAX_REQUESTS_PER_SECOND,
} from '../limits'

const headerName = z
	.string()
	.min(1)
	.max(128)
	.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name')
	.transform((s) => s.toLowerCase())

export const selectorSchema = z
	.string()
	.regex(
		/^(header:[!#$%&'*+.^_`|~0-9A-Za-z-]+|body:[^\s]+)$/,
		'must be header:<name> or body:<dot.path>',
	)

export const customResponseSchema = z.union([
	z
		.object({
			status: z.number().int().min(200).max(599).default(200),
			contentType: z.string().min(1).max(256).default('text/plain; charset=utf-8'),
			body: z
				.string()
				.max(64 * 1024)
				.default(''),
			headers: z.record(headerName, z.string().max(4096)).default({}),
		})
		.strict(),
	z.object({ preset: z.enum(['salesforce-ack']) }).strict(),
])

/** The fields of `PATCH /api/endpoints/:id`; every one optional. */
export const endpointPatchSchema = z
	.object({
		auth: authConfigSchema,
		rateLimit: z
			.object({ requestsPerSecond: z.number().int().min(1).max(MAX_REQUESTS_PER_SECOND) })
			.strict(),
		fifo: z.union([z.boolean(), z.object({ key: selectorSchema }).strict()]),
		mode: z.enum(['async', 'sync']),
		response: customResponseSchema.nullable(),
		handshakes: handshakeListSchema,
		maxBodyBytes: z.number().int().min(1).max(MAX_BODY_BYTES_CEILING),
		idempotencyHeader: headerName.nullable(),
	})
	.partial()
	.strict()

export type EndpointPatch = z.infer<typeof endpointPatchSchema>
export type CustomResponse = z.infer<typeof customResponseSchema>

/** What an endpoint knows of an instance it serves (a copy; the RegistryDO owns instances). */
export interface InstanceSnapshot {
	id: string
	name: string
	/** Shared endpoints choose the instance by this key. */
	routingKey: string
	config: JsonObject
	webhookUrls: Record<string, string>
	webhookApiKeys: Record<string, string[]>
	/** What the integration's onInstanceDeploy returned. */
	state: JsonObject
}

export type EndpointMode = 'instance-flow' | 'instance' | 'shared'

/** Everything the gateway knows about an endpoint. Owned by its EndpointDO. */
export interface EndpointConfig {
	id: string
	integration: string
	/**
	 * For an instance of a data integration: the definition it runs and its version, copied
	 * at deploy and on every replacement, so that the trigger path and the runner need no
	 * round trip to the registry. Absent for code integrations.
	 */
	dataIntegration?: DataIntegrationCopy
	endpointMode: EndpointMode
	/** The flow of an `instance-flow` endpoint; '' where the flow is chosen per request. */
	flow: string
	/** The instance of a non-shared endpoint. */
	instance: InstanceSnapshot | null
	/** The instances of a shared endpoint, by routing key. */
	sharedInstances: Record<string, InstanceSnapshot>
	auth: AuthConfig
	rateLimit: { requestsPerSecond: number }
	fifo: boolean | { key: string }
	mode: 'async' | 'sync'
	response: CustomResponse | null
	handshakes: HandshakeConfig[]
	maxBodyBytes: number
	idempotencyHeader: string | null
	createdAt: string
	updatedAt: string
	deletedAt: string | null
}

export function defaultEndpointConfig(
	base: Pick<EndpointConfig, 'id' | 'integration' | 'flow' | 'instance' | 'endpointMode'> &
		Partial<Pick<EndpointConfig, 'sharedInstances'>>,
	now: string,
): EndpointConfig {
	return {
		sharedInstances: {},
		...base,
		auth: { type: 'none' },
		rateLimit: { requestsPerSecond: DEFAULT_REQUESTS_PER_SECOND },
		fifo: false,
		mode: 'async',
		response: null,
		handshakes: [],
		maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
		idempotencyHeader: null,
		createdAt: now,
		updatedAt: now,
		deletedAt: null,
	}
}

export function applyPatch(
	config: EndpointConfig,
	patch: EndpointPatch,
	now: string,
): EndpointConfig {
	const next: EndpointConfig = { ...config, updatedAt: now }
	if (patch.auth !== undefined) next.auth = patch.auth
	if (patch.rateLimit !== undefined) next.rateLimit = patch.rateLimit
	if (patch.fifo !== undefined) next.fifo = patch.fifo
	if (patch.mode !== undefined) next.mode = patch.mode
	if (patch.response !== undefined) next.response = patch.response
	if (patch.handshakes !== undefined) next.handshakes = patch.handshakes
	if (patch.maxBodyBytes !== undefined) next.maxBodyBytes = patch.maxBodyBytes
	if (patch.idempotencyHeader !== undefined) next.idempotencyHeader = patch.idempotencyHeader
	return next
}

/** The endpoint as the admin API shows it: secrets never leave the gateway. */
export function publicEndpointView(config: EndpointConfig, url: string): Record<string, unknown> {
	return {
		id: config.id,
		url,
		integration: config.integration,
		integrationVersion: config.dataIntegration?.version ?? null,
		endpointMode: config.endpointMode,
		flow: config.flow || null,
		instanceId: config.instance?.id ?? null,
		instances:
			config.endpointMode === 'shared' ? Object.keys(config.sharedInstances).length : undefined,
		auth: redactAuthConfig(config.auth),
		rateLimit: config.rateLimit,
		fifo: config.fifo,
		mode: config.mode,
		response: config.response,
		handshakes: redactHandshakes(config.handshakes),
		maxBodyBytes: config.maxBodyBytes,
		idempotencyHeader: config.idempotencyHeader,
		createdAt: config.createdAt,
		updatedAt: config.updatedAt,
	}
}

/** The instance an execution of this endpoint belongs to. */
export function instanceById(config: EndpointConfig, instanceId: string): InstanceSnapshot | null {
	if (config.instance?.id === instanceId) return config.instance
	return Object.values(config.sharedInstances).find((i) => i.id === instanceId) ?? null
}

/**
 * `config` with `snapshot` as its copy of that instance (new state from a deploy hook, a
 * new member of a shared endpoint), or null when the endpoint does not serve it.
 */
export function withInstance(
	config: EndpointConfig,
	snapshot: InstanceSnapshot,
): EndpointConfig | null {
	if (config.endpointMode === 'shared') {
		const sharedInstances = { ...config.sharedInstances }
		for (const [key, value] of Object.entries(sharedInstances))
			if (value.id === snapshot.id) delete sharedInstances[key]
		sharedInstances[snapshot.routingKey] = snapshot
		return { ...config, sharedInstances }
	}
	if (config.instance?.id === snapshot.id) return { ...config, instance: snapshot }
	return null
}

/** A shared endpoint's config without one of its instances. */
export function withoutInstance(config: EndpointConfig, instanceId: string): EndpointConfig {
	const sharedInstances = Object.fromEntries(
		Object.entries(config.sharedInstances).filter(([, v]) => v.id !== instanceId),
	)
	return { ...config, sharedInstances }
}
