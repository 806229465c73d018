/**
 * Reading the served OpenAPI document in tests: resolving its `$ref`s, finding what it
 * documents for an operation's status, and validating real responses against it with a
 * JSON Schema 2020-12 validator that runs in workerd (no code generation).
 * @module
 */
import { type Schema, Validator } from '@cfworker/json-schema'
import { expect } from 'vitest'
import { call } from '../helpers'

export type Json = Record<string, unknown>

export interface Doc extends Json {
	openapi: string
	servers: Array<{ url: string }>
	paths: Record<string, Record<string, unknown>>
	components: { schemas: Record<string, Json>; responses: Record<string, Json> }
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

export async function fetchDoc(): Promise<Doc> {
	const res = await call('/api/openapi.json')
	expect(res.status).toBe(200)
	return (await res.json()) as Doc
}

/** The value a local `$ref` (`#/a/b`) points at in `doc`, or undefined. */
export function resolve(doc: Json, ref: string): unknown {
	if (!ref.startsWith('#/')) return undefined
	let node: unknown = doc
	for (const raw of ref.slice(2).split('/')) {
		const key = raw.replace(/~1/g, '/').replace(/~0/g, '~')
		if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
		node = (node as Json)[key]
	}
	return node
}

/** `value` itself, or what its `$ref` points at. */
export function deref(doc: Json, value: unknown): Json {
	const ref = (value as Json | undefined)?.$ref
	return (typeof ref === 'string' ? resolve(doc, ref) : value) as Json
}

/** Every `$ref` string in `value`, with where it was found. */
export function refsIn(value: unknown, at = '#'): Array<{ at: string; ref: string }> {
	if (value === null || typeof value !== 'object') return []
	return Object.entries(value).flatMap(([key, item]) =>
		key === '$ref' && typeof item === 'string' ? [{ at, ref: item }] : refsIn(item, `${at}/${key}`),
	)
}

/** Every operation of the document: path, method and the operation object. */
export function operations(doc: Doc): Array<{ path: string; method: string; op: Json }> {
	return Object.entries(doc.paths).flatMap(([path, item]) =>
		METHODS.filter((m) => m in item).map((method) => ({
			path,
			method,
			op: item[method] as Json,
		})),
	)
}

/** Checks `value` against `schema`, whose `$ref`s point into the document's components. */
export function validateAgainst(doc: Doc, schema: Json, value: unknown): string[] {
	const root = {
		...schema,
		$id: 'https://openapi.test/openapi.json',
		components: doc.components,
	} as Schema
	const result = new Validator(root, '2020-12', false).validate(value)
	return result.errors.map((e) => `${e.instanceLocation}: ${e.error} (${e.keywordLocation})`)
}

/** A reference to the component schema `name`. */
export const schemaOf = (name: string): Json => ({ $ref: `#/components/schemas/${name}` }) as Json

/**
 * Asserts that `res` is what the document says `method path` answers with its status:
 * the status is documented, a documented body is there with a documented content type,
 * and a JSON body validates against its schema. Returns the parsed JSON body (or null).
 */
export async function expectDocumented(
	doc: Doc,
	res: Response,
	path: string,
	method: string,
): Promise<unknown> {
	const op = doc.paths[path]?.[method] as Json | undefined
	expect(op, `${method} ${path} is documented`).toBeDefined()
	const responses = (op?.responses ?? {}) as Json
	const documented = responses[String(res.status)]
	expect(documented, `${method} ${path} documents status ${res.status}`).toBeDefined()
	const response = deref(doc, documented)
	const content = response.content as Record<string, { schema: Json }> | undefined
	const text = await res.text()
	if (!content) {
		expect(text, `${method} ${path} ${res.status} has no body`).toBe('')
		return null
	}
	const mediaType = (res.headers.get('content-type') ?? '').split(';', 1)[0]?.trim() ?? ''
	const entry = content[mediaType] ?? content['*/*']
	expect(entry, `${method} ${path} ${res.status} documents ${mediaType}`).toBeDefined()
	if (mediaType !== 'application/json') return null
	const body = JSON.parse(text) as unknown
	const errors = validateAgainst(doc, entry?.schema ?? {}, body)
	expect(errors, `${method} ${path} ${res.status}: ${text.slice(0, 2000)}`).toEqual([])
	return body
}
