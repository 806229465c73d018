/**
 * API keys sent in a configured header.
 * @module
 */
import { matchesAny } from '../lib/timing-safe'
import { type Authenticator, REFUSED } from './types'

export function apiKeyAuthenticator(header: string, keys: readonly string[]): Authenticator {
	const usable = keys.filter((k) => k.length > 0)
	return {
		type: 'apiKey',
		async verify(request) {
			try {
				if (usable.length === 0) return REFUSED.config
				const given = request.headers.get(header)
				if (given === null) return REFUSED.missing
				return (await matchesAny(given, usable)) ? { ok: true } : REFUSED.signature
			} catch {
				return REFUSED.signature
			}
		},
	}
}
