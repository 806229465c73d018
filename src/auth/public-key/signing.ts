/**
 * The provider's side of asymmetric schemes, for the reference sender and tests: signing
 * with a private key, and the public key to configure for it.
 * @module
 */
import { base64ToBytes, encodeSignature } from '../encoding'
import type { KeyedPreset } from '../schema'
import type { SignInput } from '../scheme'
import { pemBody } from './keys'
import { PUBLIC_KEY_SCHEMES } from './schemes'

function pkcs8(pem: string): Uint8Array {
	const der = base64ToBytes(pemBody(pem))
	if (!der) throw new Error('private key: expected PEM (PKCS#8)')
	return der
}

/** A PKCS#8 private key (PEM, or its bare base64) for signing as the provider does. */
export function importPrivateKey(preset: KeyedPreset, pem: string): Promise<CryptoKey> {
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
export async function publicKeyOf(preset: KeyedPreset, pem: string): Promise<string> {
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
	preset: KeyedPreset,
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
