/**
 * HMAC authentication: a scheme (preset or generic) checked against every active secret.
 * @module
 */
import { matchesAny } from '../lib/timing-safe'
import { utf8 } from './encoding'
import { genericScheme } from './generic'
import { KeyRing } from './keys'
import { PRESETS } from './providers'
import type { HmacConfig } from './schema'
import type { HmacScheme, SchemeOptions } from './scheme'
import { DEFAULT_TOLERANCE_SECONDS } from './timestamp'
import { type Authenticator, REFUSED } from './types'

export function schemeFor(config: HmacConfig): HmacScheme | null {
	if (config.preset === undefined) return genericScheme(config)
	// Own keys only: a bypassed config naming `toString` must not find a prototype member.
	return Object.hasOwn(PRESETS, config.preset) ? PRESETS[config.preset] : null
}

export function schemeOptions(config: HmacConfig, scheme: HmacScheme | null): SchemeOptions {
	return {
		toleranceSeconds:
			config.toleranceSeconds ?? scheme?.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS,
		publicBaseUrl: config.publicBaseUrl,
	}
}

/** The HMAC key bytes of each usable secret, in configured order. */
export function secretKeys(scheme: HmacScheme, secrets: readonly string[]): Uint8Array[] {
	const keys: Uint8Array[] = []
	for (const secret of secrets) {
		const key = scheme.keyBytes ? scheme.keyBytes(secret) : utf8(secret)
		if (key && key.length > 0) keys.push(key)
	}
	return keys
}

export function hmacAuthenticator(config: HmacConfig): Authenticator {
	const scheme = schemeFor(config)
	// Unknown presets (a config that bypassed the schema) fail closed.
	if (!scheme) return { type: 'hmac', verify: async () => REFUSED.config }
	const ring = new KeyRing(secretKeys(scheme, config.secrets ?? []))
	// Token schemes compare the secrets as configured; empty ones never match.
	const tokens = (config.secrets ?? []).filter((s) => s.length > 0)
	const options = schemeOptions(config, scheme)
	return {
		type: 'hmac',
		async verify(request) {
			try {
				if (ring.size === 0) return REFUSED.config
				const parts = await scheme.parse(request, options)
				if (!parts) return REFUSED.malformed
				if ('refused' in parts) return REFUSED[parts.refused]
				const valid =
					'token' in parts
						? tokens.length > 0 && (await matchesAny(parts.token, tokens))
						: await ring.verifyAny(parts.hash, parts.messages, parts.signatures)
				if (!valid) return REFUSED.signature
				const deliveryId = scheme.deliveryId?.(request)
				return deliveryId ? { ok: true, deliveryId } : { ok: true }
			} catch {
				// Whatever went wrong, the caller learns only that the request is not authentic.
				return REFUSED.malformed
			}
		},
	}
}
