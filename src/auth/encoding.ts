/**
 * Strict decoders for signatures and secrets received from senders. Malformed input
 * yields null (never an exception), so a forged header is a plain verification failure.
 * @module
 */
import { bytesToBase64, bytesToHex, base64ToBytes as decodeBase64 } from '../lib/encoding'

const encoder = new TextEncoder()

export const utf8 = (text: string): Uint8Array => encoder.encode(text)

const HEX = /^(?:[0-9a-fA-F]{2})*$/

export function hexToBytes(text: string): Uint8Array | null {
	if (!HEX.test(text)) return null
	const out = new Uint8Array(text.length / 2)
	for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16)
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
