/**
 * The `publicKey` auth type: a provider's asymmetric signature checked against every
 * configured public key.
 * @module
 */

import type { KeyedPreset, PublicKeyConfig } from '../schema'
import { DEFAULT_TOLERANCE_SECONDS } from '../timestamp'
import { type Authenticator, REFUSED } from '../types'
import { PUBLIC_KEY_SCHEMES, type PublicKeyScheme } from './schemes'
import { snsAuthenticator } from './sns'

export { importPrivateKey, publicKeyOf, signWithPrivateKey } from './signing'

function schemeOf(preset: string): PublicKeyScheme | null {
	// Own keys only: a bypassed config naming `toString` must not find a prototype member.
	return Object.hasOwn(PUBLIC_KEY_SCHEMES, preset)
		? PUBLIC_KEY_SCHEMES[preset as KeyedPreset]
		: null
}

async function importPublicKeys(scheme: PublicKeyScheme, keys: readonly string[]) {
	const usable = keys
		.map((k) => scheme.publicKey(k))
		.filter((k): k is NonNullable<typeof k> => k !== null)
	return Promise.all(
		usable.map((k) => crypto.subtle.importKey(k.format, k.data, scheme.key, false, ['verify'])),
	)
}

export function publicKeyAuthenticator(config: PublicKeyConfig): Authenticator {
	if (config.preset === 'aws-sns') return snsAuthenticator(config)
	const scheme = schemeOf(config.preset)
	if (!scheme) return { type: 'publicKey', verify: async () => REFUSED.config }
	const toleranceSeconds = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
	// Imported once per cached config; a failed import is retried on the next request.
	let imported: Promise<CryptoKey[]> | undefined
	const keys = () => {
		if (!imported) {
			imported = importPublicKeys(scheme, config.keys ?? [])
			imported.catch(() => {
				imported = undefined
			})
		}
		return imported
	}
	return {
		type: 'publicKey',
		async verify(request) {
			try {
				const parts = scheme.parse(request, toleranceSeconds)
				if ('refused' in parts) return REFUSED[parts.refused]
				const all = await keys()
				if (all.length === 0) return REFUSED.config
				// Every key is tried (no early exit), as with HMAC secrets.
				const results = await Promise.all(
					all.map((key) =>
						crypto.subtle.verify(scheme.signature, key, parts.signature, parts.message),
					),
				)
				if (!results.includes(true)) return REFUSED.signature
				const deliveryId = scheme.deliveryId?.(request)
				return deliveryId ? { ok: true, deliveryId } : { ok: true }
			} catch {
				return REFUSED.malformed
			}
		},
	}
}
