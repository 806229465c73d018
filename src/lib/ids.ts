/**
 * Identifiers. Endpoint ids are capabilities (whoever knows the URL can post to it), so
 * they carry 128 random bits; result tokens likewise. Lower-case base32 keeps them
 * URL-safe and case-insensitive-proof.
 * @module
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'

/** Base32 (RFC 4648 alphabet, lower case, no padding) of the given bytes. */
export function base32(bytes: Uint8Array): string {
	let out = ''
	let buffer = 0
	let bits = 0
	for (const byte of bytes) {
		buffer = (buffer << 8) | byte
		bits += 8
		while (bits >= 5) {
			out += ALPHABET[(buffer >>> (bits - 5)) & 31]
			bits -= 5
		}
	}
	if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
	return out
}

/** A random id with `bits` bits of entropy (rounded up to whole bytes). */
export function randomId(bits = 128): string {
	const bytes = new Uint8Array(Math.ceil(bits / 8))
	crypto.getRandomValues(bytes)
	return base32(bytes)
}

/** Endpoint ids: 26 base32 characters, 128 random bits. */
export const newEndpointId = (): string => randomId(128)

/** Instance ids are not capabilities (the admin API needs the token) but stay opaque. */
export const newInstanceId = (): string => `in_${randomId(80)}`

/** Result tokens: 160 random bits; they are the only secret guarding a result URL. */
export const newResultToken = (): string => randomId(160)

const EXECUTION_ID = /^([a-z2-7]{26})-(\d{1,15})$/

/**
 * An execution id names its endpoint and sequence number, so any execution can be found
 * by asking exactly one Durable Object, with no global index on the hot path.
 */
export function executionIdFor(endpointId: string, sequence: number): string {
	return `${endpointId}-${sequence}`
}

export function parseExecutionId(id: string): { endpointId: string; sequence: number } | null {
	const m = EXECUTION_ID.exec(id)
	if (!m) return null
	return { endpointId: m[1] as string, sequence: Number(m[2]) }
}

export const isEndpointId = (id: string): boolean => /^[a-z2-7]{26}$/.test(id)
