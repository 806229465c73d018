/**
 * Just enough DER to take the public key out of an X.509 certificate (AWS SNS signing
 * certificates), which Web Crypto imports as `spki`.
 * @see https://www.rfc-editor.org/rfc/rfc5280#section-4.1
 * @module
 */

interface Element {
	tag: number
	/** Offset of the first content byte, and of the byte after the element. */
	start: number
	end: number
}

/** The DER element at `at`, or null when its header or length does not fit. */
function element(der: Uint8Array, at: number, limit: number): Element | null {
	const tag = der[at]
	const first = der[at + 1]
	if (tag === undefined || first === undefined) return null
	let length = first
	let start = at + 2
	if (first & 0x80) {
		const bytes = first & 0x7f
		// Up to 3 length bytes (16 MiB): a certificate is a few KiB.
		if (bytes === 0 || bytes > 3) return null
		length = 0
		for (let i = 0; i < bytes; i++) length = length * 256 + (der[start + i] ?? 0)
		start += bytes
	}
	const end = start + length
	return end <= limit ? { tag, start, end } : null
}

const SEQUENCE = 0x30
const VERSION = 0xa0

/** The DER `SubjectPublicKeyInfo` of a DER certificate, or null when malformed. */
export function certificatePublicKey(der: Uint8Array): Uint8Array | null {
	const certificate = element(der, 0, der.length)
	if (certificate?.tag !== SEQUENCE || certificate.end !== der.length) return null
	const tbs = element(der, certificate.start, certificate.end)
	if (tbs?.tag !== SEQUENCE) return null
	let at = tbs.start
	const first = element(der, at, tbs.end)
	if (first?.tag === VERSION) at = first.end
	// serialNumber, signature, issuer, validity, subject; then subjectPublicKeyInfo.
	for (let i = 0; i < 5; i++) {
		const skipped = element(der, at, tbs.end)
		if (!skipped) return null
		at = skipped.end
	}
	const spki = element(der, at, tbs.end)
	return spki?.tag === SEQUENCE ? der.subarray(at, spki.end) : null
}
