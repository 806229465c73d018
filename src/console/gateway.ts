/**
 * The gateway's own HTTP handlers, called in-process by console pages that must behave
 * exactly as an outside client sees them: a test webhook goes through the real trigger
 * handler (size limit, auth, handshakes, rate limit, routing), an integration is read and
 * written through the admin API (its limits, its validation, its redaction of secrets),
 * and a result is read through its result URL. Nothing is reimplemented here, so the
 * console cannot drift from the gateway.
 * @module
 */
import { type Context, Hono } from 'hono'
import { adminRoutes } from '../admin/routes'
import type { Env } from '../env'
import { errorResponse } from '../lib/errors'
import { resultRoutes } from '../results/route'
import { triggerRoutes } from '../trigger/route'

// Mounted under the same prefixes as in app.ts: the trigger handler reads its own path.
const gateway = new Hono<{ Bindings: Env }>()
gateway.route('/trigger', triggerRoutes)
gateway.route('/results', resultRoutes)
gateway.route('/api', adminRoutes)
gateway.onError(errorResponse)

type ExecutionCtx = Context['executionCtx']

/** Sends a request (its URL's path decides the route) to the gateway's handlers. */
export function callGateway(
	env: Env,
	request: Request,
	ctx: ExecutionCtx,
): Promise<Response> | Response {
	return gateway.fetch(request, env, ctx)
}

/**
 * Calls the admin API as the signed-in admin. A console session exists only where
 * ADMIN_TOKEN is set, and it stands for that token: the request carries it, in-process
 * (it never leaves this isolate nor reaches a page), through the admin API's whole
 * pipeline, its own token check included.
 */
export function callAdmin(
	env: Env,
	ctx: ExecutionCtx,
	url: string,
	init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> | Response {
	const headers = new Headers(init.headers)
	headers.set('authorization', `Bearer ${env.ADMIN_TOKEN ?? ''}`)
	return callGateway(env, new Request(url, { ...init, headers }), ctx)
}

/** The admin API's URL for the integration `name`. */
export const integrationUrl = (origin: string, name: string): string =>
	`${origin}/api/integrations/${encodeURIComponent(name)}`
