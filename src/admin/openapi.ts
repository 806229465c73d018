/**
 * The admin API's OpenAPI 3.1 document, built from the very zod schemas the routes
 * validate with, so the document cannot drift from what the API accepts.
 * @module
 */
import { z } from 'zod'
import { endpointPatchSchema } from '../endpoint/config'
import { dataIntegrationSchema } from '../integrations/data/definition'
import { bulkReplaySchema } from './endpoints'
import { listQuerySchema } from './executions'
import { createInstanceSchema } from './instances'

type JsonSchema = Record<string, unknown>

const input = (schema: z.ZodType): JsonSchema =>
	z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema

const error = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] }
const errors = (...codes: number[]) =>
	Object.fromEntries(
		codes.map((code) => [
			String(code),
			{
				description: ERROR_TEXT[code],
				content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
			},
		]),
	)
const ERROR_TEXT: Record<number, string> = {
	400: 'Invalid input: `{"error": "Invalid request: <field>: <problem>"}`',
	401: 'Missing or invalid admin token',
	404: 'Not found',
	409: 'Conflict',
}
const json = (description: string, schema: JsonSchema = { type: 'object' }) => ({
	description,
	content: { 'application/json': { schema } },
})
const body = (schema: z.ZodType) => ({
	required: true,
	content: { 'application/json': { schema: input(schema) } },
})
const idParam = (name: string, description: string) => ({
	name,
	in: 'path',
	required: true,
	schema: { type: 'string' },
	description,
})

function queryParameters(schema: z.ZodObject): Array<Record<string, unknown>> {
	const jsonSchema = input(schema) as { properties?: Record<string, JsonSchema> }
	return Object.entries(jsonSchema.properties ?? {}).map(([name, s]) => ({
		name,
		in: 'query',
		required: false,
		schema: s,
	}))
}

export function openApiDocument(serverUrl: string): Record<string, unknown> {
	return {
		openapi: '3.1.0',
		info: {
			title: 'triggerflare admin API',
			version: '1',
			description:
				'Instances, integrations, endpoints and executions of a triggerflare gateway. Authenticate with `Authorization: Bearer <ADMIN_TOKEN>`.',
		},
		servers: [{ url: `${serverUrl}/api` }],
		security: [{ bearer: [] }],
		components: {
			securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
			schemas: { Error: error },
		},
		paths: {
			'/instances': {
				get: { summary: 'List instances', responses: { 200: json('Instances'), ...errors(401) } },
				post: {
					summary: 'Deploy an integration for a customer (runs onInstanceDeploy)',
					requestBody: body(createInstanceSchema),
					responses: {
						201: json(
							'The instance, with webhookUrls, endpoints and (once) generated webhookApiKeys',
						),
						...errors(400, 401, 409),
					},
				},
			},
			'/instances/{id}': {
				parameters: [idParam('id', 'Instance id')],
				get: {
					summary: 'Read an instance',
					responses: { 200: json('The instance'), ...errors(401, 404) },
				},
				delete: {
					summary: 'Delete an instance (runs onInstanceRemove; its endpoints answer 404)',
					responses: { 200: json('The deleted instance'), ...errors(401, 404) },
				},
			},
			'/instances/{id}/lifecycle': {
				parameters: [idParam('id', 'Instance id')],
				get: {
					summary: 'Outcome of the lifecycle hooks (also after deletion)',
					responses: { 200: json('Hook statuses and state'), ...errors(401, 404) },
				},
			},
			'/integrations': {
				get: {
					summary: 'List every integration, code and API ones',
					responses: {
						200: json('`[{ name, source: "code" | "api", version?, flows: [...] }]`', {
							type: 'array',
							items: {
								type: 'object',
								properties: {
									name: { type: 'string' },
									source: { enum: ['code', 'api'] },
									version: { type: 'integer' },
									flows: { type: 'array', items: { type: 'string' } },
								},
								required: ['name', 'source', 'flows'],
							},
						}),
						...errors(401),
					},
				},
			},
			'/integrations/{name}': {
				parameters: [idParam('name', 'Integration name')],
				get: {
					summary: 'Read an integration (secret config defaults redacted)',
					responses: { 200: json('The integration'), ...errors(401, 404) },
				},
				put: {
					summary:
						'Create or replace an integration written as data (every JSONata expression is compiled on write)',
					requestBody: body(dataIntegrationSchema),
					responses: {
						200: json('Replaced: the integration, with its new `version`'),
						201: json('Created: the integration, `version` 1'),
						...errors(400, 401, 409),
					},
				},
				delete: {
					summary: 'Delete an integration written as data',
					responses: {
						204: { description: 'Deleted' },
						...errors(401, 404, 409),
					},
				},
			},
			'/endpoints/{id}': {
				parameters: [idParam('id', 'Endpoint id')],
				get: {
					summary: 'Read an endpoint (secrets redacted)',
					responses: { 200: json('The endpoint'), ...errors(401, 404) },
				},
				patch: {
					summary: 'Change an endpoint',
					requestBody: body(endpointPatchSchema),
					responses: { 200: json('The endpoint'), ...errors(400, 401, 404) },
				},
			},
			'/endpoints/{id}/replay': {
				parameters: [idParam('id', 'Endpoint id')],
				post: {
					summary: 'Replay executions of one status received in a time range',
					requestBody: body(bulkReplaySchema),
					responses: {
						202: json('`{ executionIds, replayed, skipped }`'),
						...errors(400, 401, 404),
					},
				},
			},
			'/executions': {
				get: {
					summary: 'List executions, newest first',
					parameters: queryParameters(listQuerySchema),
					responses: { 200: json('`{ executions, nextCursor }`'), ...errors(400, 401) },
				},
			},
			'/executions/{id}': {
				parameters: [idParam('id', 'Execution id')],
				get: {
					summary: 'Read an execution: status, attempts, steps, logs, result URL',
					responses: { 200: json('The execution'), ...errors(401, 404) },
				},
			},
			'/executions/{id}/replay': {
				parameters: [idParam('id', 'Execution id')],
				post: {
					summary: 'Run the archived request again as a new execution',
					responses: { 202: json('`{ executionId }`'), ...errors(401, 404, 409) },
				},
			},
		},
	}
}
