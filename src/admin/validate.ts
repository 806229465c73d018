/**
 * Request validation for the admin API: zod schemas, and a 400 that names the field.
 * @module
 */
import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { z } from 'zod'
import { GatewayError } from '../lib/errors'

export function describeIssues(error: { issues: readonly z.core.$ZodIssue[] }): string {
	const issue = error.issues[0]
	if (!issue) return 'Invalid request.'
	const path = issue.path.length ? issue.path.join('.') : '(body)'
	return `Invalid request: ${path}: ${issue.message}`
}

export const validate = <T extends z.ZodType, Target extends keyof ValidationTargets>(
	target: Target,
	schema: T,
) =>
	zValidator(target, schema, (result) => {
		if (!result.success) throw new GatewayError(400, 'bad_request', describeIssues(result.error))
	})

/** Parses a JSON body, turning a syntax error into the admin API's 400. */
export async function jsonBody(request: Request): Promise<unknown> {
	try {
		return await request.json()
	} catch {
		throw new GatewayError(400, 'bad_request', 'Invalid request: body must be valid JSON.')
	}
}
