/**
 * Byte/string encodings used across modules.
 * @module
 */

export function bytesToBase64(bytes: Uint8Array): string {
	let binary = ''
	const chunk = 0x8000
	for (let i = 0; i < bytes.length; i += chunk) {
		binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
	}
	return btoa(binary)
}

export function base64ToBytes(b64: string): Uint8Array {
	const binary = atob(b64)
	const out = new Uint8Array(binary.length)
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
	return out
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
