/**
 * `/api/instances`: deploy an integration for a customer, read it, remove it.
 * @module
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { authConfigSchema } from '../auth'
import type { EndpointConfig } from '../endpoint/config'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import type { LifecycleMessage } from '../execution/message'
import { checkConfig, redactConfig } from '../integrations/config-values'
import type { ConfigVariable, IntegrationDefinition } from '../integrations/define'
import { planInstance } from '../integrations/instance-plan'
import { getIntegration } from '../integrations/registry'
import { GatewayError } from '../lib/errors'
import { newEndpointId, newInstanceId, randomId } from '../lib/ids'
import { publicOrigin, triggerUrl } from '../lib/urls'
import { type InstanceRecord, registryStub } from '../registry/registry-do'
import { invalidateEndpoint } from '../trigger/config-cache'
import { notFound } from './errors'
import { configDeclarations, lookupIntegration } from './integration-lookup'
import { validate } from './validate'

export const instanceRoutes = new Hono<{ Bindings: Env }>()

/** Paths to every own `"__proto__"` key inside a JSON value (admin bodies are at most 64 deep). */
function protoKeys(
	value: unknown,
	path: Array<string | number> = [],
): Array<Array<string | number>> {
	if (value === null || typeof value !== 'object') return []
	const found: Array<Array<string | number>> = []
	if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) found.push([...path, '__proto__'])
	for (const [key, item] of Object.entries(value)) found.push(...protoKeys(item, [...path, key]))
	return found
}

/**
 * Config values by key. `JSON.parse` keeps a `"__proto__"` key as an ordinary property,
 * but zod copies each key into a new object, where assigning `__proto__` sets the
 * prototype instead: the key would vanish and the request succeed. At the top level it
 * is refused like any other key the integration does not declare (no integration can
 * declare it: a declaration written as an object literal cannot hold it either); inside
 * a value it is refused because it could not be kept.
 */
const configSchema = z.preprocess(
	(value, ctx) => {
		for (const path of protoKeys(value)) {
			ctx.addIssue({
				code: 'custom',
				path,
				message:
					path.length === 1
						? 'not declared by the integration'
						: '"__proto__" cannot be used as a key',
				input: value,
			})
		}
		return value
	},
	z.record(z.string(), z.json()),
)

export const createInstanceSchema = z
	.object({
		integration: z.string().min(1).max(128),
		name: z.string().min(1).max(256).optional(),
		/** Shared endpoints choose this instance by this key (default: the instance id). */
		routingKey: z.string().min(1).max(256).optional(),
		config: configSchema.default({}),
		endpointMode: z.enum(['instance-flow', 'instance', 'shared']).optional(),
	})
	.strict()

/**
 * The instance as the admin API shows it. Secret config values never leave; generated
 * API keys are shown once, when the instance is created.
 */
function instanceView(
	record: InstanceRecord,
	origin: string,
	declarations: Record<string, ConfigVariable> | undefined,
	showKeys = false,
) {
	return {
		id: record.id,
		integration: record.integration,
		name: record.name,
		routingKey: record.routingKey,
		endpointMode: record.endpointMode,
		config: redactConfig(declarations, record.config),
		webhookUrls: record.webhookUrls,
		webhookApiKeys: showKeys
			? record.webhookApiKeys
			: Object.fromEntries(
					Object.entries(record.webhookApiKeys).map(([f, keys]) => [f, keys.length]),
				),
		endpoints: record.endpoints.map((e) => ({
			id: e.id,
			flow: e.flow,
			url: triggerUrl(origin, e.id),
		})),
		state: record.state,
		lifecycle: record.lifecycle,
		createdAt: record.createdAt,
		deletedAt: record.deletedAt,
	}
}

/**
 * Public keys and SNS topics a flow's auth takes from instance config are checked as the
 * endpoint API checks them, naming the config key: a key that cannot verify anything must
 * fail the deploy, not every delivery.
 */
function publicKeyProblem(
	integration: IntegrationDefinition,
	created: readonly EndpointConfig[],
): string | null {
	const firstFlow = Object.keys(integration.flows)[0] ?? ''
	for (const config of created) {
		if (config.auth.type !== 'publicKey') continue
		const auth = integration.flows[config.flow || firstFlow]?.auth
		if (auth?.type !== 'publicKey') continue
		const issue = authConfigSchema.safeParse(config.auth).error?.issues[0]
		if (issue) {
			const key = 'keyConfig' in auth ? auth.keyConfig : auth.topicArnsConfig
			return `config.${key}: ${issue.message}`
		}
	}
	return null
}

function hookMessage(hook: 'deploy' | 'remove', instanceId: string): LifecycleMessage {
	return { v: 1, kind: 'lifecycle', hook, instanceId }
}

instanceRoutes.post('/', validate('json', createInstanceSchema), async (c) => {
	const input = c.req.valid('json')
	const found = await lookupIntegration(c.env, input.integration)
	if (!found) {
		throw new GatewayError(
			400,
			'bad_request',
			`Invalid request: integration: unknown integration "${input.integration}"`,
		)
	}
	const { integration, copy } = found
	const checked = checkConfig(integration.config, input.config)
	if (!checked.ok)
		throw new GatewayError(
			400,
			'bad_request',
			`Invalid request: ${checked.field}: ${checked.message}`,
		)

	const env = c.env
	const registry = registryStub(env)
	const origin = publicOrigin(env, c.req.url)
	const now = new Date().toISOString()
	const id = newInstanceId()
	const mode = input.endpointMode ?? integration.endpointMode ?? 'instance-flow'
	const routingKey = input.routingKey ?? id
	const plan = planInstance({
		integration,
		instance: { id, name: input.name ?? integration.name, routingKey, config: checked.config },
		mode,
		origin,
		now,
		newEndpointId,
		newApiKey: () => randomId(192),
		sharedEndpointId: mode === 'shared' ? await registry.sharedEndpoint(integration.name) : null,
		dataIntegration: copy,
	})

	const badKey = publicKeyProblem(integration, plan.create)
	if (badKey) throw new GatewayError(400, 'bad_request', `Invalid request: ${badKey}`)

	// Endpoints first: an instance is only recorded once every trigger URL it lists works.
	await Promise.all(plan.create.map((config) => endpointStub(env, config.id).configure(config)))
	if (mode === 'shared') {
		const endpointId = plan.endpoints[0]?.id as string
		const winner = await registry.setSharedEndpoint(integration.name, endpointId)
		if (winner !== endpointId) {
			throw new GatewayError(
				409,
				'bad_request',
				'Another instance created the shared endpoint at the same time; retry.',
			)
		}
		if (plan.create.length === 0) {
			const added = await endpointStub(env, endpointId).putInstance(plan.snapshot)
			if (!added)
				throw new GatewayError(409, 'bad_request', 'The shared endpoint is not available.')
			invalidateEndpoint(endpointId)
		}
	}
	const record: InstanceRecord = {
		id,
		integration: integration.name,
		name: plan.snapshot.name,
		routingKey,
		config: checked.config,
		endpointMode: mode,
		endpoints: plan.endpoints,
		webhookUrls: plan.snapshot.webhookUrls,
		webhookApiKeys: plan.snapshot.webhookApiKeys,
		state: {},
		lifecycle: integration.onInstanceDeploy
			? { deploy: { status: 'pending', attempts: 0, updatedAt: now } }
			: {},
		createdAt: now,
		deletedAt: null,
	}
	await registry.putInstance(record)
	if (integration.onInstanceDeploy)
		await env.EXECUTIONS.send(hookMessage('deploy', id), { contentType: 'v8' })
	return c.json(instanceView(record, origin, integration.config, true), 201)
})

instanceRoutes.get('/', async (c) => {
	const origin = publicOrigin(c.env, c.req.url)
	const list = await registryStub(c.env).listInstances()
	const declared = await configDeclarations(
		c.env,
		list.map((r) => r.integration),
	)
	return c.json({
		instances: list.map((r) => instanceView(r, origin, declared.get(r.integration))),
	})
})

instanceRoutes.get('/:id', async (c) => {
	const record = await registryStub(c.env).getInstance(c.req.param('id'))
	if (!record || record.deletedAt) throw notFound('Instance')
	const declared = await configDeclarations(c.env, [record.integration])
	return c.json(
		instanceView(record, publicOrigin(c.env, c.req.url), declared.get(record.integration)),
	)
})

/** Lifecycle hook outcomes stay readable after the instance is deleted. */
instanceRoutes.get('/:id/lifecycle', async (c) => {
	const record = await registryStub(c.env).getInstance(c.req.param('id'))
	if (!record) throw notFound('Instance')
	return c.json({
		id: record.id,
		deletedAt: record.deletedAt,
		lifecycle: record.lifecycle,
		state: record.state,
	})
})

instanceRoutes.delete('/:id', async (c) => {
	const env = c.env
	const registry = registryStub(env)
	const record = await registry.deleteInstance(c.req.param('id'))
	if (!record) throw notFound('Instance')
	const shared = record.endpointMode === 'shared'
	await Promise.all(
		[...new Set(record.endpoints.map((e) => e.id))].map(async (endpointId) => {
			const stub = endpointStub(env, endpointId)
			if (shared) await stub.removeInstance(record.id)
			else await stub.remove()
			invalidateEndpoint(endpointId)
		}),
	)
	const integration = getIntegration(record.integration)
	let current = record
	if (integration?.onInstanceRemove) {
		current =
			(await registry.recordHook(record.id, 'remove', {
				status: 'pending',
				attempts: 0,
				updatedAt: new Date().toISOString(),
			})) ?? record
		await env.EXECUTIONS.send(hookMessage('remove', record.id), { contentType: 'v8' })
	}
	const declared = await configDeclarations(c.env, [record.integration])
	return c.json(
		instanceView(current, publicOrigin(c.env, c.req.url), declared.get(record.integration)),
	)
})
