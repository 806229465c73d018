import { describe, expect, it } from 'vitest'
import {
	type ChunkedBody,
	jsonResultBody,
	STREAMED_BINARY_MIN_BYTES,
} from '../../src/execution/result-body'
import { toJson } from '../../src/lib/encoding'

const text = (body: string | ChunkedBody): string => {
	if (typeof body === 'string') return body
	const chunks = [...body.chunks()]
	const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
	let at = 0
	for (const c of chunks) {
		out.set(c, at)
		at += c.byteLength
	}
	expect(out.byteLength).toBe(body.length)
	return new TextDecoder().decode(out)
}

const bytes = (n: number, seed = 1): Uint8Array =>
	Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) % 256)

describe('jsonResultBody', () => {
	it('a result without large binary values is the same string as toJson', () => {
		const value = { a: 1, small: bytes(300), when: new Date(0), gone: undefined, list: [1, null] }
		const body = jsonResultBody(value)
		expect(typeof body).toBe('string')
		expect(body).toBe(toJson(value))
		expect(jsonResultBody(undefined)).toBe('null')
	})

	it('streams large binary values as base64 and writes exactly what toJson writes', () => {
		const big = bytes(STREAMED_BINARY_MIN_BYTES * 3 + 1)
		const whole = bytes(200_000, 7)
		const value = {
			body: { data: big, contentType: 'application/octet-stream' },
			// A view into a larger buffer: only its own bytes count.
			view: whole.subarray(1, 100_001),
			buffer: bytes(STREAMED_BINARY_MIN_BYTES, 3).buffer,
			list: [bytes(STREAMED_BINARY_MIN_BYTES + 2, 5), 'ünïcødé', { deep: bytes(10) }],
			skipped: undefined,
			when: new Date(1_700_000_000_000),
		}
		const body = jsonResultBody(value)
		expect(typeof body).toBe('object')
		expect(text(body)).toBe(toJson(value))
	})

	it('can be read twice, and no slice holds more than a bounded piece of the binary', () => {
		const body = jsonResultBody({ data: bytes(1_000_000) }) as ChunkedBody
		const sizes = [...body.chunks()].map((c) => c.byteLength)
		expect(Math.max(...sizes)).toBeLessThanOrEqual(200_000)
		expect(text(body)).toBe(toJson({ data: bytes(1_000_000) }))
	})
})
