/**
 * Builds the authenticator for an endpoint's auth config.
 * @module
 */
import { matchesAny } from '../lib/timing-safe'
import type { AuthConfig } from './schema'
import type { Authenticator } from './types'

export type { AuthConfig } from './schema'
export { authConfigSchema, redactAuthConfig } from './schema'
export type { Authenticator, AuthResult, SignedRequest } from './types'

const NONE: Authenticator = { type: 'none', verify: async () => ({ ok: true }) }

export function createAuthenticator(config: AuthConfig | undefined): Authenticator {
	if (!config || config.type === 'none') return NONE
	switch (config.type) {
		case 'apiKey': {
			const header = config.header
			return {
				type: 'apiKey',
				async verify(req) {
					const given = req.headers.get(header)
					if (given === null) return { ok: false }
					return (await matchesAny(given, config.keys)) ? { ok: true } : { ok: false }
				},
			}
		}
		default:
			// Fail closed until the scheme is implemented.
			return { type: config.type, verify: async () => ({ ok: false }) }
	}
}
