/**
 * Zod schemas as OpenAPI components: the request bodies the routes validate with (and a
 * few stored shapes the responses echo) become `#/components/schemas/<Name>`, so the
 * document cannot drift from what the API accepts.
 * @module
 */
import { z } from 'zod'

export type JsonSchema = Record<string, unknown>

const COMPONENTS = '#/components/schemas/'

/**
 * Where zod puts what it could not inline (recursive schemas: steps, JSON values). Its
 * refs, `#/components/schemas/__shared#/$defs/schema0`, point at no valid location, so
 * each entry is hoisted to a component of its own.
 */
const SHARED = '__shared'
const SHARED_REF = `${COMPONENTS}${SHARED}#/$defs/`

/** Rewrites every `$ref` in a JSON value. */
export function mapRefs(value: unknown, map: (ref: string) => string): unknown {
	if (Array.isArray(value)) return value.map((item) => mapRefs(item, map))
	if (value === null || typeof value !== 'object') return value
	return Object.fromEntries(
		Object.entries(value).map(([key, item]) => [
			key,
			key === '$ref' && typeof item === 'string' ? map(item) : mapRefs(item, map),
		]),
	)
}

/**
 * A hoisted schema's name: a recursive JSON value (several `z.json()` instances produce
 * the same one) is `JsonValue`; anything else keeps zod's numbering under `prefix`.
 */
function sharedName(key: string, schema: JsonSchema, prefix: string): string {
	const self = `${SHARED_REF}${key}`
	const canonical = JSON.stringify(mapRefs(schema, (ref) => (ref === self ? 'SELF' : ref)))
	return canonical === JSON_VALUE ? 'JsonValue' : `${prefix}${key}`
}

const JSON_VALUE = JSON.stringify({
	anyOf: [
		{ type: 'string' },
		{ type: 'number' },
		{ type: 'boolean' },
		{ type: 'null' },
		{ type: 'array', items: { $ref: 'SELF' } },
		{ type: 'object', propertyNames: { type: 'string' }, additionalProperties: { $ref: 'SELF' } },
	],
})

/**
 * Any JSON value, said without recursion: a self-referencing union is exact, but the
 * TypeScript that client generators write for it refers to itself and fails to compile
 * (TS2502). What is parsed from JSON is a JSON value anyway.
 */
export const ANY_JSON: JsonSchema = { description: 'Any JSON value' }

/**
 * Converts named zod schemas (in `io` mode: `input` for what a client sends, `output` for
 * what the gateway stores and shows back) into component schemas referring to each other.
 */
export function zodComponents(
	named: Record<string, z.ZodType>,
	io: 'input' | 'output',
	prefix: string,
): Record<string, JsonSchema> {
	const registry = z.registry<{ id: string }>()
	for (const [id, schema] of Object.entries(named)) registry.add(schema, { id })
	const { schemas } = z.toJSONSchema(registry, {
		io,
		unrepresentable: 'any',
		uri: (id) => `${COMPONENTS}${id}`,
	}) as { schemas: Record<string, JsonSchema> }
	const shared = ((schemas[SHARED]?.$defs ?? {}) as Record<string, JsonSchema>) ?? {}
	const names = Object.fromEntries(
		Object.entries(shared).map(([key, schema]) => [key, sharedName(key, schema, prefix)]),
	)
	const hoisted: Record<string, unknown> = {}
	for (const [id, schema] of Object.entries(schemas)) {
		if (id === SHARED) continue
		const { $schema: _dialect, $id: _id, ...rest } = schema
		hoisted[id] = rest
	}
	for (const [key, schema] of Object.entries(shared)) {
		const name = names[key] as string
		hoisted[name] = name === 'JsonValue' ? ANY_JSON : schema
	}
	return mapRefs(hoisted, (ref) =>
		ref.startsWith(SHARED_REF) ? `${COMPONENTS}${names[ref.slice(SHARED_REF.length)]}` : ref,
	) as Record<string, JsonSchema>
}
