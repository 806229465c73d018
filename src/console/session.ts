/**
 * Console sign-in: the admin token is checked once, then a signed, expiring session
 * cookie (HttpOnly, Secure, SameSite=Strict) stands in for it. Forms carry a CSRF token
 * derived from the session, so a cross-site form post cannot act even if a browser
 * ignored SameSite.
 * @module
 */
import { hmac, importHmacKey } from '../auth/keys'
import { bytesToHex } from '../lib/encoding'
import { timingSafeEqualStrings } from '../lib/timing-safe'

export const SESSION_COOKIE = 'tf_console'
export const SESSION_SECONDS = 8 * 60 * 60

const encoder = new TextEncoder()

async function sign(secret: string, message: string): Promise<string> {
	const key = await importHmacKey(encoder.encode(secret), 'SHA-256', 'sign')
	return bytesToHex(await hmac(key, encoder.encode(message)))
}

export async function newSession(adminToken: string, now = Date.now()): Promise<string> {
	const expires = now + SESSION_SECONDS * 1000
	return `${expires}.${await sign(adminToken, `console-session:${expires}`)}`
}

export async function validSession(
	adminToken: string | undefined,
	cookie: string | undefined,
	now = Date.now(),
): Promise<boolean> {
	if (!adminToken || !cookie) return false
	const m = /^(\d{13})\.([0-9a-f]{64})$/.exec(cookie)
	if (!m) return false
	const expires = Number(m[1])
	if (expires <= now) return false
	return timingSafeEqualStrings(
		m[2] as string,
		await sign(adminToken, `console-session:${expires}`),
	)
}

export function csrfToken(adminToken: string, session: string): Promise<string> {
	return sign(adminToken, `console-csrf:${session}`)
}

export async function validCsrf(
	adminToken: string,
	session: string,
	given: unknown,
): Promise<boolean> {
	if (typeof given !== 'string' || given.length !== 64) return false
	return timingSafeEqualStrings(given, await csrfToken(adminToken, session))
}
