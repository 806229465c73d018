/**
 * Constant-time comparison of secrets.
 * @module
 */

const encoder = new TextEncoder()

/**
 * Compares two byte strings without leaking where they differ. Both sides are hashed
 * first so the comparison always runs over 32 equal-length bytes: this hides the
 * secret's length too, and `timingSafeEqual` (which throws on unequal lengths) can be
 * used unconditionally.
 * @see https://developers.cloudflare.com/workers/examples/protect-against-timing-attacks/
 */
export async function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): Promise<boolean> {
	const [ha, hb] = await Promise.all([
		crypto.subtle.digest('SHA-256', a),
		crypto.subtle.digest('SHA-256', b),
	])
	return equalDigests(ha, hb)
}

/**
 * workerd's `crypto.subtle.timingSafeEqual` where there is one. Elsewhere (the CLI signs
 * with this code under Node, which has no such method on `crypto.subtle`) the same
 * comparison in JS: every byte of both 32-byte digests, no early exit.
 */
function equalDigests(a: ArrayBuffer, b: ArrayBuffer): boolean {
	const subtle = crypto.subtle as Partial<Pick<SubtleCrypto, 'timingSafeEqual'>>
	if (typeof subtle.timingSafeEqual === 'function') return subtle.timingSafeEqual(a, b)
	const x = new Uint8Array(a)
	const y = new Uint8Array(b)
	let difference = x.length ^ y.length
	for (let i = 0; i < x.length; i++) difference |= (x[i] ?? 0) ^ (y[i] ?? 0)
	return difference === 0
}

export function timingSafeEqualStrings(a: string, b: string): Promise<boolean> {
	return timingSafeEqualBytes(encoder.encode(a), encoder.encode(b))
}

/** True when `candidate` equals any of `secrets`; every secret is compared (no early exit). */
export async function matchesAny(candidate: string, secrets: readonly string[]): Promise<boolean> {
	const results = await Promise.all(secrets.map((s) => timingSafeEqualStrings(candidate, s)))
	return results.some(Boolean)
}
