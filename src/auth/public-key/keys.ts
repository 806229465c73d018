/**
 * Public keys as providers show them, checked on write and imported for Web Crypto.
 * @module
 */
import { base64ToBytes, hexToBytes } from '../encoding'

/** What DER of a P-256 `SubjectPublicKeyInfo` starts with, up to the uncompressed point. */
const P256_SPKI_PREFIX = new Uint8Array([
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
	0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
])

/** The base64 inside PEM armor (or bare base64), without line breaks. */
export function pemBody(text: string): string {
	return text.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '')
}

/** The 32 bytes of an Ed25519 public key in hex (Discord's "Public Key"), or null. */
export function ed25519PublicKey(text: string): Uint8Array | null {
	const bytes = /^[0-9a-fA-F]{64}$/.test(text.trim()) ? hexToBytes(text.trim()) : null
	return bytes && bytes.length === 32 ? bytes : null
}

/**
 * The DER `SubjectPublicKeyInfo` of a P-256 key given as base64 (SendGrid's "Verification
 * Key"), PEM armor allowed, or null when it is not exactly such a key.
 */
export function p256PublicKey(text: string): Uint8Array | null {
	const der = base64ToBytes(pemBody(text))
	if (der?.length !== 91) return null
	return P256_SPKI_PREFIX.every((b, i) => der[i] === b) ? der : null
}
