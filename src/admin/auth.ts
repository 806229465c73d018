/**
 * Bearer-token authentication for the admin API.
 * @module
 */
import type { MiddlewareHandler } from 'hono'
import type { Env } from '../env'
import { GatewayError } from '../lib/errors'
import { timingSafeEqualStrings } from '../lib/timing-safe'

export const requireAdmin: MiddlewareHandler<{ Bindings: Env }> = async function requireAdmin(
	c,
	next,
) {
	const expected = c.env.ADMIN_TOKEN
	const header = c.req.header('authorization') ?? ''
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
	// Without a configured token the admin API stays closed rather than open.
	const ok =
		Boolean(expected) &&
		match !== null &&
		(await timingSafeEqualStrings(match[1] as string, expected as string))
	if (!ok) {
		throw new GatewayError(401, 'unauthorized', 'Missing or invalid admin token.', {
			headers: { 'www-authenticate': 'Bearer realm="triggerflare-admin"' },
		})
	}
	await next()
}
