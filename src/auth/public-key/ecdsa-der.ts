/**
 * ECDSA signatures between DER (`SEQUENCE { INTEGER r, INTEGER s }`, what SendGrid sends)
 * and the fixed-size `r || s` that Web Crypto signs and verifies.
 * @see https://www.rfc-editor.org/rfc/rfc3279#section-2.2.3
 * @module
 */

/** One DER INTEGER at `at`: its value bytes and the offset after it, or null. */
function readInteger(der: Uint8Array, at: number): { value: Uint8Array; next: number } | null {
	if (der[at] !== 0x02) return null
	const length = der[at + 1]
	// Short-form lengths only: a P-256 or P-384 integer never needs the long form.
	if (length === undefined || length === 0 || length > 0x7f) return null
	const start = at + 2
	if (start + length > der.length) return null
	return { value: der.subarray(start, start + length), next: start + length }
}

/** The integer left-padded to `size` bytes (a DER sign byte dropped), or null if too long. */
function fixedSize(value: Uint8Array, size: number): Uint8Array | null {
	let start = 0
	while (start < value.length - 1 && value[start] === 0) start++
	const digits = value.subarray(start)
	if (digits.length > size) return null
	const out = new Uint8Array(size)
	out.set(digits, size - digits.length)
	return out
}

/** `r || s` of a DER signature, each `size` bytes (32 for P-256), or null when malformed. */
export function derToRaw(der: Uint8Array, size: number): Uint8Array | null {
	if (der[0] !== 0x30 || der[1] === undefined || der[1] > 0x7f || der[1] !== der.length - 2) {
		return null
	}
	const r = readInteger(der, 2)
	const s = r ? readInteger(der, r.next) : null
	if (!r || !s || s.next !== der.length) return null
	const rawR = fixedSize(r.value, size)
	const rawS = fixedSize(s.value, size)
	if (!rawR || !rawS) return null
	const out = new Uint8Array(2 * size)
	out.set(rawR, 0)
	out.set(rawS, size)
	return out
}

/** A DER INTEGER of unsigned big-endian bytes: minimal, with a sign byte when needed. */
function integer(bytes: Uint8Array): number[] {
	let start = 0
	while (start < bytes.length - 1 && bytes[start] === 0) start++
	const digits = [...bytes.subarray(start)]
	if ((digits[0] ?? 0) & 0x80) digits.unshift(0)
	return [0x02, digits.length, ...digits]
}

/** The DER form of a Web Crypto `r || s` signature. */
export function rawToDer(raw: Uint8Array): Uint8Array {
	const half = raw.length / 2
	const body = [...integer(raw.subarray(0, half)), ...integer(raw.subarray(half))]
	return new Uint8Array([0x30, body.length, ...body])
}
