/**
 * The console's request pipeline in one place: the security headers every response
 * carries, the size limit and same-origin check of form posts, and the session check
 * that guards everything past sign-in (posts also need the session's CSRF token).
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie } from 'hono/cookie'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import type { Env } from '../env'
import { GatewayError } from '../lib/errors'
import { MAX_CONSOLE_BODY_BYTES } from '../limits'
import { csrfToken, SESSION_COOKIE, validCsrf, validSession } from './session'

export type ConsoleEnv = { Bindings: Env; Variables: { session: string; csrf: string } }

export const securityHeaders: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
	c.header(
		'content-security-policy',
		"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	)
	c.header('x-content-type-options', 'nosniff')
	c.header('referrer-policy', 'no-referrer')
	c.header('cache-control', 'no-store')
	await next()
}

/**
 * The posted form. A body that does not parse as its declared form type (a broken
 * multipart body, a multipart type without a boundary) is the client's error: 400.
 */
export async function formOf(c: Context<ConsoleEnv>): Promise<Record<string, unknown>> {
	try {
		return await c.req.parseBody()
	} catch {
		throw new GatewayError(400, 'bad_request', 'Malformed form body.')
	}
}

/** A form larger than any the console's pages send is refused before it is read. */
export const consoleBodyLimit = bodyLimit({
	maxSize: MAX_CONSOLE_BODY_BYTES,
	onError: () =>
		new GatewayError(
			413,
			'payload_too_large',
			`Request body exceeds the console's limit of ${MAX_CONSOLE_BODY_BYTES} bytes.`,
		).getResponse(),
})

export const CROSS_ORIGIN_FORM =
	'Cross-origin form post refused: the console accepts forms from its own pages only.'

const sameOrigin = csrf()

/**
 * Same-origin form posts only (`hono/csrf`: Origin or Sec-Fetch-Site), on top of the
 * session's form token. Hono's refusal carries no message; a user who hits it should
 * learn why.
 */
export const sameOriginForms: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
	try {
		return await sameOrigin(c, next)
	} catch (err) {
		if (err instanceof HTTPException && err.status === 403)
			throw new GatewayError(403, 'forbidden', CROSS_ORIGIN_FORM)
		throw err
	}
}

/** No valid session: back to sign-in. A post without the session's CSRF token: 403. */
export const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
	const session = getCookie(c, SESSION_COOKIE)
	if (!session || !(await validSession(c.env.ADMIN_TOKEN, session)))
		return c.redirect('/console/login', 303)
	const expected = c.env.ADMIN_TOKEN as string
	if (c.req.method === 'POST') {
		const form = await formOf(c)
		if (!(await validCsrf(expected, session, form.csrf)))
			throw new GatewayError(403, 'forbidden', 'Invalid form token.')
	}
	c.set('session', session)
	c.set('csrf', await csrfToken(expected, session))
	await next()
}
