/**
 * The `publicKey` auth type: a provider's asymmetric signature checked against every
 * configured public key.
 * @module
 */

import { base64ToBytes, encodeSignature } from '../encoding'
import type { PublicKeyConfig, PublicKeyPreset } from '../schema'
import type { SignInput } from '../scheme'
import { DEFAULT_TOLERANCE_SECONDS } from '../timestamp'
import type { Authenticator, AuthResult } from '../types'
import { pemBody } from './keys'
import { discord, type PublicKeyScheme, sendgrid } from './schemes'

const FAILURE: AuthResult = { ok: false }

export const PUBLIC_KEY_SCHEMES: Readonly<Record<PublicKeyPreset, PublicKeyScheme>> = {
	discord,
	sendgrid,
}

function schemeOf(preset: string): PublicKeyScheme | null {
	// Own keys only: a bypassed config naming `toString` must not find a prototype member.
	return Object.hasOwn(PUBLIC_KEY_SCHEMES, preset)
		? PUBLIC_KEY_SCHEMES[preset as PublicKeyPreset]
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
	const scheme = schemeOf(config.preset)
	if (!scheme) return { type: 'publicKey', verify: async () => FAILURE }
	const toleranceSeconds = config.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS
	// Imported once per cached config; a failed import is retried on the next request.
	let imported: Promise<CryptoKey[]> | undefined
	const keys = () => {
		imported ??= importPublicKeys(scheme, config.keys)
		imported.catch(() => {
			imported = undefined
		})
		return imported
	}
	return {
		type: 'publicKey',
		async verify(request) {
			try {
				const parts = scheme.parse(request, toleranceSeconds)
				if (!parts) return FAILURE
				const all = await keys()
				// Every key is tried (no early exit), as with HMAC secrets.
				const results = await Promise.all(
					all.map((key) =>
						crypto.subtle.verify(scheme.signature, key, parts.signature, parts.message),
					),
				)
				if (!results.includes(true)) return FAILURE
				const deliveryId = scheme.deliveryId?.(request)
				return deliveryId ? { ok: true, deliveryId } : { ok: true }
			} catch {
				return FAILURE
			}
		},
	}
}

function pkcs8(pem: string): Uint8Array {
	const der = base64ToBytes(pemBody(pem))
	if (!der) throw new Error('private key: expected PEM (PKCS#8)')
	return der
}

/** A PKCS#8 private key (PEM, or its bare base64) for signing as the provider does. */
export function importPrivateKey(preset: PublicKeyPreset, pem: string): Promise<CryptoKey> {
	return crypto.subtle.importKey('pkcs8', pkcs8(pem), PUBLIC_KEY_SCHEMES[preset].key, false, [
		'sign',
	])
}

const base64url = (text: string) =>
	base64ToBytes(
		text
			.replaceAll('-', '+')
			.replaceAll('_', '/')
			.padEnd(Math.ceil(text.length / 4) * 4, '='),
	)

/**
 * The public key of a PKCS#8 private key, written as the provider shows it (what an
 * endpoint is configured with): hex for Discord, base64 SPKI for SendGrid.
 */
export async function publicKeyOf(preset: PublicKeyPreset, pem: string): Promise<string> {
	const algorithm = PUBLIC_KEY_SCHEMES[preset].key
	const key = await crypto.subtle.importKey('pkcs8', pkcs8(pem), algorithm, true, ['sign'])
	const jwk = (await crypto.subtle.exportKey('jwk', key)) as JsonWebKey
	if (preset === 'discord') {
		const raw = base64url(jwk.x ?? '')
		if (!raw) throw new Error('private key: not an Ed25519 key')
		return encodeSignature(raw, 'hex')
	}
	const { kty, crv, x, y } = jwk
	const publicKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, algorithm, true, [
		'verify',
	])
	const spki = (await crypto.subtle.exportKey('spki', publicKey)) as ArrayBuffer
	return encodeSignature(new Uint8Array(spki), 'base64')
}

/** The headers that make `input` pass an endpoint configured with the matching public key. */
export async function signWithPrivateKey(
	preset: PublicKeyPreset,
	privateKey: CryptoKey,
	input: Pick<SignInput, 'body' | 'now'>,
): Promise<Record<string, string>> {
	const scheme = PUBLIC_KEY_SCHEMES[preset]
	return scheme.sign(
		input.body,
		input.now,
		async (message) =>
			new Uint8Array(await crypto.subtle.sign(scheme.signature, privateKey, message)),
	)
}
