/**
 * HTTP Basic authentication (RFC 7617).
 * @see https://www.rfc-editor.org/rfc/rfc7617
 * @module
 */
import { timingSafeEqualStrings } from '../lib/timing-safe'
import { base64ToBytes, encodeSignature, utf8 } from './encoding'
import type { Authenticator, AuthRefusal, AuthResult } from './types'

export const BASIC_REALM = 'triggerflare'

const challenge = (reason: AuthRefusal): AuthResult => ({
	ok: false,
	headers: { 'WWW-Authenticate': `Basic realm="${BASIC_REALM}"` },
	reason,
})
const NO_CREDENTIALS = challenge('config')
const MISSING = challenge('missing')
const MALFORMED = challenge('malformed')
const WRONG = challenge('signature')

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
const CREDENTIALS = /^basic[ \t]+([A-Za-z0-9+/]+=*)[ \t]*$/i

/** The user-id and password of a Basic Authorization header, or null when malformed. */
export function parseBasic(header: string | null): [string, string] | null {
	const token = header === null ? null : CREDENTIALS.exec(header)?.[1]
	const bytes = token ? base64ToBytes(token) : null
	if (!bytes) return null
	let text: string
	try {
		text = decoder.decode(bytes)
	} catch {
		return null
	}
	const colon = text.indexOf(':')
	return colon < 0 ? null : [text.slice(0, colon), text.slice(colon + 1)]
}

export function basicHeader(username: string, password: string): string {
	return `Basic ${encodeSignature(utf8(`${username}:${password}`), 'base64')}`
}

export function basicAuthenticator(username: string, password: string): Authenticator {
	// Empty credentials would admit a request with `Basic Og==` (":"); never accept them.
	if (!username || !password) return { type: 'basic', verify: async () => NO_CREDENTIALS }
	return {
		type: 'basic',
		async verify(request) {
			try {
				const header = request.headers.get('authorization')
				if (header === null) return MISSING
				const given = parseBasic(header)
				// Both parts are always compared, so timing does not tell which one was wrong.
				const [userOk, passwordOk] = await Promise.all([
					timingSafeEqualStrings(given?.[0] ?? '', username),
					timingSafeEqualStrings(given?.[1] ?? '', password),
				])
				if (!given) return MALFORMED
				return userOk && passwordOk ? { ok: true } : WRONG
			} catch {
				return WRONG
			}
		},
	}
}
