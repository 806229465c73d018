/**
 * API keys sent in a configured header.
 * @module
 */
import { matchesAny } from '../lib/timing-safe'
import type { Authenticator, AuthResult } from './types'

const MISSING: AuthResult = { ok: false, reason: 'missing' }
const WRONG: AuthResult = { ok: false, reason: 'signature' }
const NO_KEYS: AuthResult = { ok: false, reason: 'config' }

export function apiKeyAuthenticator(header: string, keys: readonly string[]): Authenticator {
	const usable = keys.filter((k) => k.length > 0)
	return {
		type: 'apiKey',
		async verify(request) {
			try {
				if (usable.length === 0) return NO_KEYS
				const given = request.headers.get(header)
				if (given === null) return MISSING
				return (await matchesAny(given, usable)) ? { ok: true } : WRONG
			} catch {
				return WRONG
			}
		},
	}
}
