/**
 * `components` of the OpenAPI document: request schemas converted from the zod schemas
 * the routes validate with, response schemas written from the views, shared error
 * responses.
 * @module
 */
import type { z } from 'zod'
import { customResponseSchema, endpointPatchSchema } from '../../endpoint/config'
import { dataIntegrationSchema } from '../../integrations/data/definition'
import { bulkReplaySchema } from '../endpoints'
import { createInstanceSchema } from '../instances'
import { header, json } from './build'
import { triggerResponses } from './public-paths'
import { responseSchemas } from './schemas'
import { type JsonSchema, zodComponents } from './zod-components'

/**
 * The parts of the definition schema that deserve a name of their own in a generated
 * client (and must have one: steps are recursive).
 */
function definitionParts() {
	const flow = dataIntegrationSchema.shape.flows.valueType
	const steps = flow.shape.steps as unknown as z.ZodLazy<z.ZodArray<z.ZodType>>
	const config = dataIntegrationSchema.shape.config.unwrap()
	return { flow, steps, step: steps.unwrap().element, configVariable: config.valueType }
}

/** Adds `more` to `into`; a name both define must mean the same schema in both. */
function merge(into: Record<string, JsonSchema>, more: Record<string, JsonSchema>): void {
	for (const [name, schema] of Object.entries(more)) {
		const existing = into[name]
		if (existing && JSON.stringify(existing) !== JSON.stringify(schema))
			throw new Error(`OpenAPI: two different schemas are named ${name}`)
		into[name] = schema
	}
}

function schemas(): Record<string, JsonSchema> {
	const parts = definitionParts()
	const shared = { Steps: parts.steps, Step: parts.step, ConfigVariable: parts.configVariable }
	const all: Record<string, JsonSchema> = {}
	merge(
		all,
		zodComponents(
			{
				CreateInstanceRequest: createInstanceSchema,
				EndpointPatch: endpointPatchSchema,
				IntegrationDefinition: dataIntegrationSchema,
				BulkReplayRequest: bulkReplaySchema,
				...shared,
			},
			'input',
			'Input',
		),
	)
	// What the gateway stores and shows back: defaults applied, so those fields are set.
	merge(
		all,
		zodComponents(
			{ DataFlow: parts.flow, CustomResponse: customResponseSchema, ...shared },
			'output',
			'Output',
		),
	)
	merge(all, responseSchemas)
	return all
}

const error = (description: string, headers?: Record<string, unknown>) =>
	json(description, 'Error', headers)

const responses = {
	BadRequest: error('Invalid input: `{"error": "Invalid request: <field>: <problem>"}`'),
	Unauthorized: error('Missing or invalid admin token', {
		'WWW-Authenticate': header('`Bearer realm="triggerflare-admin"`'),
	}),
	NotFound: error('Not found'),
	Conflict: error('Conflict'),
	PayloadTooLarge: error('Body over the admin API’s limit (1 MiB), refused before it is read'),
	InternalError: error('Unexpected failure: `{"error": "Internal error"}`, no detail'),
	...triggerResponses,
}

let built: Record<string, unknown> | undefined

/** Built once per isolate: the schemas do not change while it lives. */
export function components(): Record<string, unknown> {
	built ??= {
		securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
		schemas: schemas(),
		responses,
	}
	return built
}
