/**
 * The gateway's own HTTP handlers, called in-process by console pages that must behave
 * exactly as an outside client sees them: a test webhook goes through the real trigger
 * handler (size limit, auth, handshakes, rate limit, routing), an integration is read and
 * written through the admin API's own routes (its validation, its redaction of secrets),
 * and a result is read through its result URL. Nothing is reimplemented here, so the
 * console cannot drift from the gateway.
 *
 * The admin routes are mounted without the bearer check: only signed-in console pages
 * reach this object, and the console session stands in for the admin token.
 * @module
 */
import { type Context, Hono } from 'hono'
import { integrationRoutes } from '../admin/integrations'
import type { Env } from '../env'
import { errorResponse } from '../lib/errors'
import { resultRoutes } from '../results/route'
import { triggerRoutes } from '../trigger/route'

// Mounted under the same prefixes as in app.ts: the trigger handler reads its own path.
const gateway = new Hono<{ Bindings: Env }>()
gateway.route('/trigger', triggerRoutes)
gateway.route('/results', resultRoutes)
gateway.route('/admin/integrations', integrationRoutes)
gateway.onError(errorResponse)

/** Sends a request (its URL's path decides the route) to the gateway's handlers. */
export function callGateway(
	env: Env,
	request: Request,
	ctx: Context['executionCtx'],
): Promise<Response> | Response {
	return gateway.fetch(request, env, ctx)
}

/** The URL `callGateway` routes to the admin integration route for `name`. */
export const integrationPath = (origin: string, name?: string): string =>
	`${origin}/admin/integrations${name === undefined ? '' : `/${encodeURIComponent(name)}`}`
