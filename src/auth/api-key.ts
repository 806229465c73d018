/**
 * API keys sent in a configured header.
 * @module
 */
import { matchesAny } from '../lib/timing-safe'
import type { Authenticator, AuthResult } from './types'

const FAILURE: AuthResult = { ok: false }

export function apiKeyAuthenticator(header: string, keys: readonly string[]): Authenticator {
	const usable = keys.filter((k) => k.length > 0)
	return {
		type: 'apiKey',
		async verify(request) {
			try {
				const given = request.headers.get(header)
				if (given === null || usable.length === 0) return FAILURE
				return (await matchesAny(given, usable)) ? { ok: true } : FAILURE
			} catch {
				return FAILURE
			}
		},
	}
}
