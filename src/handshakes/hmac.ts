/**
 * HMAC-SHA256 for handshake answers, with each secret imported once.
 * @module
 */
import { hmac, importHmacKey } from '../auth/keys'

const encoder = new TextEncoder()

/**
 * Keyed by the config object: the trigger route keeps an endpoint's config object for the
 * life of its cache entry, so the key is imported once per config, and a changed config
 * (a new object) gets a fresh key while the old one is collected with it. The promise is
 * cached so concurrent first requests share one import.
 */
const keys = new WeakMap<object, Promise<CryptoKey>>()

function importKey(owner: object, secret: string): Promise<CryptoKey> {
	let key = keys.get(owner)
	if (!key) {
		key = importHmacKey(encoder.encode(secret), 'SHA-256', 'sign')
		keys.set(owner, key)
		// A failed import must not poison the cache for the config's lifetime.
		key.catch(() => keys.delete(owner))
	}
	return key
}

/** HMAC-SHA256(secret, message) over the message's UTF-8 bytes. */
export async function hmacSha256(
	owner: object,
	secret: string,
	message: string,
): Promise<Uint8Array> {
	return hmac(await importKey(owner, secret), encoder.encode(message))
}
