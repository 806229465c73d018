/**
 * Builds the authenticator for an endpoint's auth config, and signs requests for senders.
 * @module
 */
import { apiKeyAuthenticator } from './api-key'
import { basicAuthenticator } from './basic'
import { hmacAuthenticator } from './hmac'
import { publicKeyAuthenticator } from './public-key'
import type { AuthConfig } from './schema'
import { type Authenticator, REFUSED } from './types'

export { importPrivateKey, publicKeyOf } from './public-key'
export type {
	AuthConfig,
	HmacConfig,
	HmacPreset,
	KeyedPreset,
	PublicKeyConfig,
	PublicKeyPreset,
} from './schema'
export {
	authConfigSchema,
	HMAC_PRESETS,
	HMAC_SCHEME_FIELDS,
	PUBLIC_KEY_PRESETS,
	redactAuthConfig,
} from './schema'
export type { SignInput, SignOptions } from './sign'
export { senderUrl, signRequest } from './sign'
export type { Authenticator, AuthRefusal, AuthResult, SignedRequest } from './types'

const NONE: Authenticator = { type: 'none', verify: async () => ({ ok: true }) }

/**
 * Called once per cached endpoint config; the returned authenticator keeps its imported
 * keys, so each request costs only the verification itself.
 */
export function createAuthenticator(config: AuthConfig | undefined): Authenticator {
	if (!config || config.type === 'none') return NONE
	switch (config.type) {
		case 'basic':
			return basicAuthenticator(config.username, config.password)
		case 'apiKey':
			return apiKeyAuthenticator(config.header ?? 'api-key', config.keys ?? [])
		case 'hmac':
			return hmacAuthenticator(config)
		case 'publicKey':
			return publicKeyAuthenticator(config)
		default:
			// A type this build does not know (e.g. stored by a newer version) fails closed.
			return { type: 'unknown', verify: async () => REFUSED.config }
	}
}
