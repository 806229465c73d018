/**
 * `/api/integrations`: integrations written as data (create, replace, read, delete), and
 * a listing of every integration, the code ones included. Code integrations are read-only
 * here: their names cannot be taken, changed or deleted.
 * @module
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { redactHandshakes } from '../handshakes'
import {
	type DataIntegrationDefinition,
	INTEGRATION_NAME,
	parseDataIntegration,
} from '../integrations/data/definition'
import type { DataIntegrationCopy } from '../integrations/data/runtime'
import type { ConfigVariable, IntegrationDefinition } from '../integrations/define'
import { getIntegration, listIntegrations } from '../integrations/registry'
import { GatewayError } from '../lib/errors'
import { registryStub, type StoredIntegration } from '../registry/registry-do'
import { invalidateEndpoint } from '../trigger/config-cache'
import { notFound } from './errors'
import { validate } from './validate'

export const integrationRoutes = new Hono<{ Bindings: Env }>()

const nameParam = z.object({ name: INTEGRATION_NAME })

const REDACTED = '[redacted]'

/** Config declarations as the API shows them: a secret's default is never returned. */
function configView(
	config: Record<string, ConfigVariable> | undefined,
): Record<string, ConfigVariable> | undefined {
	if (!config) return undefined
	return Object.fromEntries(
		Object.entries(config).map(([key, variable]) => [
			key,
			variable.secret && variable.default !== undefined
				? { ...variable, default: REDACTED }
				: variable,
		]),
	)
}

function flowsView(definition: DataIntegrationDefinition) {
	return Object.fromEntries(
		Object.entries(definition.flows).map(([name, flow]) => [
			name,
			flow.handshakes ? { ...flow, handshakes: redactHandshakes(flow.handshakes) } : flow,
		]),
	)
}

/** An integration written through the API, as `GET /api/integrations/{name}` shows it. */
function dataView(stored: StoredIntegration) {
	const { definition } = stored
	return {
		name: stored.name,
		source: 'api' as const,
		version: stored.version,
		description: definition.description,
		config: configView(definition.config),
		endpointMode: definition.endpointMode,
		flowSelector: definition.flowSelector,
		instanceSelector: definition.instanceSelector,
		flows: flowsView(definition),
		createdAt: stored.createdAt,
		updatedAt: stored.updatedAt,
	}
}

/** A code integration: what can be told of it as data (its flows are code). */
function codeView(integration: IntegrationDefinition) {
	return {
		name: integration.name,
		source: 'code' as const,
		description: integration.description,
		config: configView(integration.config),
		endpointMode: integration.endpointMode,
		flows: Object.keys(integration.flows),
	}
}

const codeConflict = (name: string) =>
	new GatewayError(
		409,
		'bad_request',
		`"${name}" is a code integration: it cannot be changed or deleted through the API.`,
	)

integrationRoutes.get('/', async (c) => {
	const code = listIntegrations().map((i) => ({
		name: i.name,
		source: 'code' as const,
		flows: Object.keys(i.flows),
	}))
	const data = (await registryStub(c.env).listIntegrations()).map((i) => ({
		name: i.name,
		source: 'api' as const,
		version: i.version,
		flows: Object.keys(i.definition.flows),
	}))
	return c.json([...code, ...data])
})

integrationRoutes.get('/:name', validate('param', nameParam), async (c) => {
	const { name } = c.req.valid('param')
	const code = getIntegration(name)
	if (code) return c.json(codeView(code))
	const stored = await registryStub(c.env).getIntegration(name)
	if (!stored) throw notFound('Integration')
	return c.json(dataView(stored))
})

// The body is read and guarded (content type, malformed JSON, depth) by `validate`; the
// definition itself is checked by its own parser, whose errors name paths as
// `flows.notify.steps[1].expression`.
integrationRoutes.put(
	'/:name',
	validate('param', nameParam),
	validate('json', z.unknown()),
	async (c) => {
		const { name } = c.req.valid('param')
		if (getIntegration(name)) throw codeConflict(name)
		const parsed = parseDataIntegration(c.req.valid('json'))
		if (!parsed.ok) throw new GatewayError(400, 'bad_request', parsed.error)
		const outcome = await registryStub(c.env).putIntegration(
			name,
			parsed.definition,
			new Date().toISOString(),
		)
		if (!outcome.ok) {
			throw new GatewayError(
				409,
				'bad_request',
				`Flows ${outcome.flowsInUse.map((f) => `"${f}"`).join(', ')} of "${name}" have instances: delete those instances before removing the flows.`,
			)
		}
		const { integration, created } = outcome
		// Live instances run the new version from their next request on (other isolates
		// within the config cache's few seconds). Versions only move forward on an
		// endpoint, so a PUT retried after a failure here is safe.
		const copy: DataIntegrationCopy = {
			version: integration.version,
			definition: integration.definition,
		}
		await Promise.all(
			outcome.endpoints.map(async (endpointId) => {
				await endpointStub(c.env, endpointId).setDataIntegration(copy)
				invalidateEndpoint(endpointId)
			}),
		)
		return c.json(dataView(integration), created ? 201 : 200)
	},
)

integrationRoutes.delete('/:name', validate('param', nameParam), async (c) => {
	const { name } = c.req.valid('param')
	if (getIntegration(name)) throw codeConflict(name)
	const outcome = await registryStub(c.env).deleteIntegration(name)
	if (outcome === 'not_found') throw notFound('Integration')
	if (outcome === 'in_use')
		throw new GatewayError(
			409,
			'bad_request',
			`Integration "${name}" is used by instances: delete them first.`,
		)
	return c.body(null, 204)
})
