/**
 * Request validation for the admin API: zod schemas, and a 400 that names the field.
 * @module
 */
import { zValidator } from '@hono/zod-validator'
import type { Context, MiddlewareHandler, ValidationTargets } from 'hono'
import type { z } from 'zod'
import { GatewayError } from '../lib/errors'

/**
 * Admin documents are configs, a few levels deep. Deeper ones are refused before any
 * recursive code (zod, JSON.stringify on save, structured clone to a Durable Object)
 * sees them: 100,000 levels of `[` overflow the stack in each of those.
 */
export const MAX_ADMIN_JSON_DEPTH = 64

export function describeIssues(error: { issues: readonly z.core.$ZodIssue[] }): string {
	const issue = error.issues[0]
	if (!issue) return 'Invalid request.'
	const path = issue.path.length ? issue.path.join('.') : '(body)'
	return `Invalid request: ${path}: ${issue.message}`
}

const invalid = (message: string) => new GatewayError(400, 'bad_request', message)

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i

/**
 * The path to the first value nested deeper than `max` levels (the top level is 1), or
 * null. Iterative, so the check itself cannot overflow the stack.
 */
export function deeperThan(value: unknown, max: number): Array<string | number> | null {
	const pending: Array<{ value: unknown; path: Array<string | number> }> = [{ value, path: [] }]
	for (let next = pending.pop(); next; next = pending.pop()) {
		const { value: current, path } = next
		if (current === null || typeof current !== 'object') continue
		if (path.length >= max) return path
		if (Array.isArray(current)) {
			current.forEach((item, index) => {
				pending.push({ value: item, path: [...path, index] })
			})
		} else {
			for (const [key, item] of Object.entries(current)) {
				pending.push({ value: item, path: [...path, key] })
			}
		}
	}
	return null
}

/**
 * Reads the JSON body once (Hono caches it for the validator that follows): a body
 * that is not declared JSON, is malformed, or is nested too deeply is a 400 here. An
 * empty body stays allowed without a content type (routes whose fields all default).
 */
async function readJson(c: Context): Promise<void> {
	const mediaType = (c.req.header('content-type') ?? '').split(';', 1)[0]?.trim() ?? ''
	if (!JSON_TYPE.test(mediaType)) {
		if ((await c.req.text()).trim() !== '')
			throw invalid('Invalid request: (body): the Content-Type must be application/json')
		return
	}
	let value: unknown
	try {
		value = await c.req.json()
	} catch {
		throw invalid('Invalid request: (body): malformed JSON')
	}
	const path = deeperThan(value, MAX_ADMIN_JSON_DEPTH)
	if (path) {
		// The field it is under: the full path to the culprit would be 64 segments long.
		const field = typeof path[0] === 'string' ? path.slice(0, 2).join('.') : '(body)'
		throw invalid(`Invalid request: ${field}: nested deeper than ${MAX_ADMIN_JSON_DEPTH} levels`)
	}
}

export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(
	target: Target,
	schema: T,
) => {
	const check = zValidator(target, schema, (result) => {
		if (!result.success) throw invalid(describeIssues(result.error))
	})
	if (target !== 'json') return check
	const guarded: MiddlewareHandler = async (c, next) => {
		await readJson(c)
		return check(c, next)
	}
	return guarded as typeof check
}
