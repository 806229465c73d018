/**
 * A flow result as the bytes stored for its result URL. A JSON result that carries a large
 * binary value (an echo of a 10 MB upload) is not built as one string: that would hold the
 * base64 text, the JSON text around it and its UTF-8 copy at once, three times the body on
 * top of the body. Such a result becomes chunks of known total length instead, with the
 * binary base64-encoded slice by slice as the chunks are read.
 * @module
 */
import { bytesToBase64, jsonReplacer } from '../lib/encoding'

/** Binary values at least this large are streamed; smaller ones stay inside the JSON text. */
export const STREAMED_BINARY_MIN_BYTES = 64 * 1024

/** A multiple of 3, so each slice encodes to base64 without padding but the last. */
const BASE64_SLICE_BYTES = 3 * 32 * 1024

/** Bytes produced piece by piece; `length` is known before the first piece. */
export interface ChunkedBody {
	length: number
	chunks(): Iterable<Uint8Array>
}

const utf8 = new TextEncoder()

const base64Length = (bytes: number): number => 4 * Math.ceil(bytes / 3)

/**
 * `JSON.stringify(value)` with binary values as base64 strings, exactly as `toJson`
 * writes it. When a binary value is large, the answer is a `ChunkedBody` instead of a
 * string. Each large value is swapped for a placeholder during the stringify (so every
 * rule of JSON.stringify still applies), and the text is cut at the placeholders. The
 * placeholder carries a random nonce, which no value in the result can contain.
 */
export function jsonResultBody(value: unknown): string | ChunkedBody {
	const binaries: Uint8Array[] = []
	// Drawn only when needed: most results carry no large binary.
	let nonce = ''
	const text =
		JSON.stringify(value ?? null, (key, v: unknown) => {
			const bytes =
				v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : undefined
			if (bytes && bytes.byteLength >= STREAMED_BINARY_MIN_BYTES) {
				nonce ||= crypto.randomUUID().replaceAll('-', '')
				binaries.push(bytes)
				return `${nonce}${binaries.length - 1}`
			}
			return jsonReplacer(key, v)
		}) ?? 'null'
	if (binaries.length === 0) return text
	// Split with a capture group: text, index, text, index, …, text.
	const pieces = text.split(new RegExp(`${nonce}(\\d+)`))
	const parts: Array<Uint8Array | { binary: Uint8Array }> = pieces.map((piece, i) =>
		i % 2 === 0 ? utf8.encode(piece) : { binary: binaries[Number(piece)] as Uint8Array },
	)
	let length = 0
	for (const part of parts) {
		length += part instanceof Uint8Array ? part.byteLength : base64Length(part.binary.byteLength)
	}
	return {
		length,
		*chunks() {
			for (const part of parts) {
				if (part instanceof Uint8Array) {
					if (part.byteLength > 0) yield part
					continue
				}
				const bytes = part.binary
				for (let at = 0; at < bytes.byteLength; at += BASE64_SLICE_BYTES) {
					yield utf8.encode(bytesToBase64(bytes.subarray(at, at + BASE64_SLICE_BYTES)))
				}
			}
		},
	}
}
