/**
 * Strict decoders for signatures and secrets received from senders. Malformed input
 * yields null (never an exception), so a forged header is a plain verification failure.
 * @module
 */
import { bytesToBase64, bytesToHex, base64ToBytes as decodeBase64 } from '../lib/encoding'

const encoder = new TextEncoder()

export const utf8 = (text: string): Uint8Array => encoder.encode(text)

/** The value of one hex digit's char code, or -1. */
function hexDigit(code: number): number {
	if (code >= 48 && code <= 57) return code - 48 // 0-9
	const lower = code | 0x20
	return lower >= 97 && lower <= 102 ? lower - 87 : -1 // a-f, A-F
}

// Char codes, not a regex plus parseInt per byte: this runs on every signed request.
export function hexToBytes(text: string): Uint8Array | null {
	if (text.length % 2 !== 0) return null
	const out = new Uint8Array(text.length / 2)
	for (let i = 0; i < out.length; i++) {
		const hi = hexDigit(text.charCodeAt(2 * i))
		const lo = hexDigit(text.charCodeAt(2 * i + 1))
		if (hi < 0 || lo < 0) return null
		out[i] = (hi << 4) | lo
	}
	return out
}

// Standard alphabet with canonical padding, as every supported provider sends it.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function base64ToBytes(text: string): Uint8Array | null {
	return BASE64.test(text) ? decodeBase64(text) : null
}

export function decodeSignature(text: string, encoding: 'hex' | 'base64'): Uint8Array | null {
	return encoding === 'hex' ? hexToBytes(text) : base64ToBytes(text)
}

export function encodeSignature(bytes: Uint8Array, encoding: 'hex' | 'base64'): string {
	return encoding === 'hex' ? bytesToHex(bytes) : bytesToBase64(bytes)
}

export { concatBytes } from '../lib/encoding'
