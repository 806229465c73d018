/**
 * HMAC keys for an endpoint's secrets, imported once and reused for every request.
 * @module
 */

export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-512'

/**
 * Signatures offered per request are capped: every one is checked against every secret,
 * so an unbounded list (`v1=..,v1=..,...`) would let a sender make us hash the body
 * thousands of times.
 */
export const MAX_SIGNATURES = 8

export function importHmacKey(
	secret: Uint8Array,
	hash: HashName,
	usage: 'sign' | 'verify',
): Promise<CryptoKey> {
	return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash }, false, [usage])
}

export async function hmac(key: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
	return new Uint8Array(await crypto.subtle.sign('HMAC', key, message))
}

/**
 * The verify-only keys of a list of secrets, per hash (GitHub's preset needs two). The
 * import promise is cached so concurrent first requests share it; a failed import is
 * forgotten, so it is retried instead of failing the endpoint for the cache lifetime.
 */
export class KeyRing {
	readonly #secrets: readonly Uint8Array[]
	readonly #keys = new Map<HashName, Promise<CryptoKey[]>>()

	constructor(secrets: readonly Uint8Array[]) {
		// An empty key would make every signature forgeable by anyone; such secrets never verify.
		this.#secrets = secrets.filter((s) => s.length > 0)
	}

	get size(): number {
		return this.#secrets.length
	}

	keys(hash: HashName): Promise<CryptoKey[]> {
		let keys = this.#keys.get(hash)
		if (!keys) {
			keys = Promise.all(this.#secrets.map((s) => importHmacKey(s, hash, 'verify')))
			this.#keys.set(hash, keys)
			keys.catch(() => this.#keys.delete(hash))
		}
		return keys
	}

	/**
	 * True when any signature is a valid HMAC of any message under any secret. Every
	 * combination is checked (no early exit), so timing does not reveal which secret or
	 * which signature matched. `crypto.subtle.verify` compares in constant time in workerd.
	 */
	async verifyAny(
		hash: HashName,
		messages: readonly Uint8Array[],
		signatures: readonly Uint8Array[],
	): Promise<boolean> {
		if (signatures.length === 0 || signatures.length > MAX_SIGNATURES) return false
		const keys = await this.keys(hash)
		const checks: Promise<boolean>[] = []
		for (const key of keys) {
			for (const message of messages) {
				for (const signature of signatures) {
					checks.push(crypto.subtle.verify('HMAC', key, signature, message))
				}
			}
		}
		const results = await Promise.all(checks)
		return results.includes(true)
	}
}
