/**
 * The operations of the admin API (`/api`), each with its request and response schemas.
 * @module
 */
import { z } from 'zod'
import { listQuerySchema } from '../executions'
import { json, pathParam, requestBody, response } from './build'
import type { JsonSchema } from './zod-components'

const ENDPOINT_ID = '^[a-z2-7]{26}$'
const INTEGRATION_NAME = '^[A-Za-z0-9][A-Za-z0-9_.-]*$'

/** Every admin call can be refused without the token, or fail unexpectedly; `names` adds more. */
const refusals = (...names: string[]) => ({
	...Object.fromEntries(
		names.map((name) => [STATUS_OF[name as keyof typeof STATUS_OF], response(name)]),
	),
	401: response('Unauthorized'),
	500: response('InternalError'),
})
const STATUS_OF = { BadRequest: 400, NotFound: 404, Conflict: 409, PayloadTooLarge: 413 } as const

function queryParameters(schema: z.ZodObject): Array<Record<string, unknown>> {
	const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
		properties?: Record<string, JsonSchema>
	}
	return Object.entries(jsonSchema.properties ?? {}).map(([name, s]) => ({
		name,
		in: 'query',
		required: false,
		schema: s,
	}))
}

const instanceId = pathParam('id', 'Instance id')
const endpointId = pathParam('id', 'Endpoint id', ENDPOINT_ID)
const executionId = pathParam('id', 'Execution id (`<endpointId>-<sequence>`)')
const integrationName = pathParam('name', 'Integration name', INTEGRATION_NAME)
const captureId = pathParam('capture', 'Capture id (a UUID)')

export const adminPaths = {
	'/instances': {
		get: {
			operationId: 'listInstances',
			tags: ['instances'],
			summary: 'List instances',
			responses: { 200: json('Every instance', 'InstanceList'), ...refusals() },
		},
		post: {
			operationId: 'createInstance',
			tags: ['instances'],
			summary: 'Deploy an integration for a customer (runs onInstanceDeploy)',
			requestBody: requestBody('CreateInstanceRequest'),
			responses: {
				201: json(
					'The instance, with its webhook URLs, endpoints and (this once) generated API keys',
					'DeployedInstance',
				),
				...refusals('BadRequest', 'Conflict', 'PayloadTooLarge'),
			},
		},
	},
	'/instances/{id}': {
		parameters: [instanceId],
		get: {
			operationId: 'getInstance',
			tags: ['instances'],
			summary: 'Read an instance',
			responses: { 200: json('The instance', 'Instance'), ...refusals('NotFound') },
		},
		delete: {
			operationId: 'deleteInstance',
			tags: ['instances'],
			summary: 'Delete an instance (runs onInstanceRemove; its endpoints answer 404)',
			responses: { 200: json('The deleted instance', 'Instance'), ...refusals('NotFound') },
		},
	},
	'/instances/{id}/lifecycle': {
		parameters: [instanceId],
		get: {
			operationId: 'getInstanceLifecycle',
			tags: ['instances'],
			summary: 'Outcome of the lifecycle hooks (also after deletion)',
			responses: {
				200: json('Hook statuses and state', 'InstanceLifecycle'),
				...refusals('NotFound'),
			},
		},
	},
	'/integrations': {
		get: {
			operationId: 'listIntegrations',
			tags: ['integrations'],
			summary: 'List every integration, code and API ones',
			responses: { 200: json('Every integration', 'IntegrationList'), ...refusals() },
		},
	},
	'/integrations/{name}': {
		parameters: [integrationName],
		get: {
			operationId: 'getIntegration',
			tags: ['integrations'],
			summary: 'Read an integration (secret config defaults redacted)',
			responses: {
				200: json('The integration: a definition, or a code one’s flow names', 'Integration'),
				...refusals('BadRequest', 'NotFound'),
			},
		},
		put: {
			operationId: 'putIntegration',
			tags: ['integrations'],
			summary:
				'Create or replace an integration written as data (every JSONata expression is compiled on write)',
			requestBody: requestBody('IntegrationDefinition'),
			responses: {
				200: json('Replaced: the integration, with its new `version`', 'DataIntegration'),
				201: json('Created: the integration, `version` 1', 'DataIntegration'),
				...refusals('BadRequest', 'Conflict', 'PayloadTooLarge'),
			},
		},
		delete: {
			operationId: 'deleteIntegration',
			tags: ['integrations'],
			summary: 'Delete an integration written as data (409 while instances use it)',
			responses: {
				204: { description: 'Deleted' },
				...refusals('BadRequest', 'NotFound', 'Conflict'),
			},
		},
	},
	'/endpoints/{id}': {
		parameters: [endpointId],
		get: {
			operationId: 'getEndpoint',
			tags: ['endpoints'],
			summary: 'Read an endpoint (secrets redacted)',
			responses: { 200: json('The endpoint', 'Endpoint'), ...refusals('BadRequest', 'NotFound') },
		},
		patch: {
			operationId: 'updateEndpoint',
			tags: ['endpoints'],
			summary: 'Change an endpoint',
			requestBody: requestBody('EndpointPatch'),
			responses: {
				200: json('The endpoint', 'Endpoint'),
				...refusals('BadRequest', 'NotFound', 'PayloadTooLarge'),
			},
		},
	},
	'/endpoints/{id}/activity': {
		parameters: [endpointId],
		get: {
			operationId: 'getEndpointActivity',
			tags: ['endpoints'],
			summary: 'Requests admitted and refused per minute, with the reasons of 401s and 403s',
			parameters: [
				{
					name: 'minutes',
					in: 'query',
					required: false,
					schema: { type: 'integer', minimum: 1, maximum: 60, default: 60 },
				},
			],
			responses: {
				200: json('The last minutes, oldest first, and their totals', 'EndpointActivity'),
				...refusals('BadRequest', 'NotFound'),
			},
		},
	},
	'/endpoints/{id}/captures': {
		parameters: [endpointId],
		get: {
			operationId: 'listEndpointCaptures',
			tags: ['endpoints'],
			summary: 'Values sender handshakes handed over (values not shown)',
			responses: {
				200: json('The newest five', 'CaptureList'),
				...refusals('BadRequest', 'NotFound'),
			},
		},
	},
	'/endpoints/{id}/captures/{capture}/reveal': {
		parameters: [endpointId, captureId],
		post: {
			operationId: 'revealEndpointCapture',
			tags: ['endpoints'],
			summary: 'Show a captured value',
			responses: { 200: json('The value', 'CaptureValue'), ...refusals('BadRequest', 'NotFound') },
		},
	},
	'/endpoints/{id}/captures/{capture}/adopt': {
		parameters: [endpointId, captureId],
		post: {
			operationId: 'adoptEndpointCapture',
			tags: ['endpoints'],
			summary: 'Add a captured value to the endpoint’s HMAC secrets (`replace=true`: the only one)',
			parameters: [
				{
					name: 'replace',
					in: 'query',
					required: false,
					schema: { type: 'string', enum: ['true', 'false'], default: 'false' },
				},
			],
			responses: {
				200: json('The endpoint', 'Endpoint'),
				...refusals('BadRequest', 'NotFound', 'Conflict'),
			},
		},
	},
	'/endpoints/{id}/replay': {
		parameters: [endpointId],
		post: {
			operationId: 'replayEndpointExecutions',
			tags: ['endpoints'],
			summary: 'Replay executions of one status received in a time range',
			requestBody: requestBody('BulkReplayRequest'),
			responses: {
				202: json('The new executions', 'BulkReplayResult'),
				...refusals('BadRequest', 'NotFound', 'PayloadTooLarge'),
			},
		},
	},
	'/executions': {
		get: {
			operationId: 'listExecutions',
			tags: ['executions'],
			summary: 'List executions, newest first',
			parameters: queryParameters(listQuerySchema),
			responses: { 200: json('One page', 'ExecutionList'), ...refusals('BadRequest') },
		},
	},
	'/executions/{id}': {
		parameters: [executionId],
		get: {
			operationId: 'getExecution',
			tags: ['executions'],
			summary: 'Read an execution: status, attempts, steps, logs, result URL',
			responses: { 200: json('The execution', 'Execution'), ...refusals('NotFound') },
		},
	},
	'/executions/{id}/replay': {
		parameters: [executionId],
		post: {
			operationId: 'replayExecution',
			tags: ['executions'],
			summary: 'Run the archived request again as a new execution',
			responses: {
				202: json('The new execution', 'ExecutionAccepted'),
				...refusals('NotFound', 'Conflict'),
			},
		},
	},
	'/openapi.json': {
		get: {
			operationId: 'getOpenApiDocument',
			tags: ['meta'],
			summary: 'This document (public: no token needed)',
			security: [],
			responses: { 200: json('The OpenAPI 3.1 document', { type: 'object' }) },
		},
	},
}
