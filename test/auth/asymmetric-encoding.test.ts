import { describe, expect, it } from 'vitest'
import { derToRaw, rawToDer } from '../../src/auth/public-key/ecdsa-der'
import { parseRfc3339 } from '../../src/auth/timestamp'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('ECDSA signatures between DER and r || s', () => {
	it('pads short integers and drops DER sign bytes', () => {
		// r = 0x80 0x01 needs a sign byte in DER; s = 0x05 is short.
		const der = bytes(0x30, 0x08, 0x02, 0x03, 0x00, 0x80, 0x01, 0x02, 0x01, 0x05)
		expect([...(derToRaw(der, 4) ?? [])]).toEqual([0, 0, 0x80, 0x01, 0, 0, 0, 0x05])
		expect([...rawToDer(bytes(0, 0, 0x80, 0x01, 0, 0, 0, 0x05))]).toEqual([...der])
	})

	it('round-trips a random 64-byte signature', () => {
		const raw = crypto.getRandomValues(new Uint8Array(64))
		expect([...(derToRaw(rawToDer(raw), 32) ?? [])]).toEqual([...raw])
	})

	it('rejects malformed DER', () => {
		for (const der of [
			bytes(),
			bytes(0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01),
			bytes(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01),
			bytes(0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x02, 0x01),
			bytes(0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00),
			bytes(0x30, 0x06, 0x02, 0x00, 0x02, 0x02, 0x01, 0x01),
		]) {
			expect(derToRaw(der, 32)).toBeNull()
		}
		// An integer longer than the curve size.
		const long = new Uint8Array([0x30, 0x26, 0x02, 0x21, ...new Array(33).fill(1), 0x02, 0x01, 1])
		expect(derToRaw(long, 32)).toBeNull()
	})
})

describe('RFC 3339 timestamps', () => {
	it('reads Z, offsets and up to nanoseconds', () => {
		expect(parseRfc3339('2019-11-16T10:11:12.634234626Z')).toBe(
			Date.UTC(2019, 10, 16, 10, 11, 12, 634),
		)
		expect(parseRfc3339('2020-01-01T00:00:00-07:00')).toBe(Date.UTC(2020, 0, 1, 7))
		expect(parseRfc3339('2021-03-31T20:39:19+02:30')).toBe(Date.UTC(2021, 2, 31, 18, 9, 19))
	})

	it('rejects anything else', () => {
		for (const text of [
			'',
			'1573899072',
			'2019-11-16 10:11:12Z',
			'2019-11-16T10:11:12',
			'2019-13-16T10:11:12Z',
			'2019-11-16T24:11:12Z',
			'2019-11-16T10:11:12.1234567890Z',
			' 2019-11-16T10:11:12Z',
		]) {
			expect(parseRfc3339(text), text).toBeNull()
		}
	})
})
