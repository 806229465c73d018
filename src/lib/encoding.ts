/**
 * Byte/string encodings used across modules.
 * @module
 */
import { Buffer } from 'node:buffer'

// node:buffer (nodejs_compat) encodes natively: a 10 MB body takes milliseconds instead of
// the seconds a JavaScript loop through btoa takes.
export function bytesToBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

export function base64ToBytes(b64: string): Uint8Array {
	return new Uint8Array(Buffer.from(b64, 'base64'))
}

export function bytesToHex(bytes: Uint8Array): string {
	let out = ''
	for (const b of bytes) out += b.toString(16).padStart(2, '0')
	return out
}

/**
 * JSON.stringify that keeps binary data readable: bytes become base64 strings instead of
 * `{"0":..,"1":..}` objects.
 */
export function toJson(value: unknown, space?: number): string {
	return JSON.stringify(value, jsonReplacer, space) ?? 'null'
}

export function jsonReplacer(_key: string, value: unknown): unknown {
	if (value instanceof Uint8Array) return bytesToBase64(value)
	if (value instanceof ArrayBuffer) return bytesToBase64(new Uint8Array(value))
	return value
}

const utf8Encoder = new TextEncoder()

/** The bytes of `parts` in order (strings as UTF-8): signed content, streamed chunks. */
export function concatBytes(...parts: Array<Uint8Array | string>): Uint8Array {
	const chunks = parts.map((p) => (typeof p === 'string' ? utf8Encoder.encode(p) : p))
	let length = 0
	for (const c of chunks) length += c.length
	const out = new Uint8Array(length)
	let offset = 0
	for (const c of chunks) {
		out.set(c, offset)
		offset += c.length
	}
	return out
}
