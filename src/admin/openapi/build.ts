/**
 * Small builders for the OpenAPI document: references, closed objects, responses.
 * @module
 */
import type { JsonSchema } from './zod-components'

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

/** `schema` or null. */
export const orNull = (schema: JsonSchema): JsonSchema =>
	typeof schema.type === 'string'
		? { ...schema, type: [schema.type, 'null'] }
		: { anyOf: [schema, { type: 'null' }] }

/**
 * A closed object: the API returns exactly these fields, so a generated client can rely
 * on them. Every field is required but those named in `optional` (fields the gateway
 * leaves out rather than sending null).
 */
export function object(
	properties: Record<string, JsonSchema>,
	optional: readonly string[] = [],
	description?: string,
): JsonSchema {
	return {
		type: 'object',
		...(description ? { description } : {}),
		properties,
		required: Object.keys(properties).filter((key) => !optional.includes(key)),
		additionalProperties: false,
	}
}

/** An object with any keys, each holding `values` (flow names to URLs, config values...). */
export const mapOf = (values: JsonSchema, description?: string): JsonSchema => ({
	type: 'object',
	...(description ? { description } : {}),
	additionalProperties: values,
})

export const string: JsonSchema = { type: 'string' }
export const integer: JsonSchema = { type: 'integer' }
export const boolean: JsonSchema = { type: 'boolean' }
export const dateTime: JsonSchema = { type: 'string', format: 'date-time' }
export const url: JsonSchema = { type: 'string', format: 'uri' }
export const stringArray: JsonSchema = { type: 'array', items: string }

export const header = (description: string, schema: JsonSchema = string) => ({
	description,
	schema,
})

/** A JSON response whose body is the component `name` (or an inline schema). */
export const json = (
	description: string,
	schema: JsonSchema | string,
	headers?: Record<string, unknown>,
) => ({
	description,
	...(headers ? { headers } : {}),
	content: {
		'application/json': { schema: typeof schema === 'string' ? ref(schema) : schema },
	},
})

/** A shared response of `#/components/responses`. */
export const response = (name: string) => ({ $ref: `#/components/responses/${name}` })

/** The JSON body of a request, the component `name`. */
export const requestBody = (name: string) => ({
	required: true,
	content: { 'application/json': { schema: ref(name) } },
})

export const pathParam = (name: string, description: string, pattern?: string) => ({
	name,
	in: 'path',
	required: true,
	description,
	schema: pattern ? { type: 'string', pattern } : string,
})
