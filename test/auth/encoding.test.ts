import { describe, expect, it } from 'vitest'
import { decodeSignature, hexToBytes } from '../../src/auth/encoding'

describe('hexToBytes', () => {
	it('decodes lower- and upper-case hex', () => {
		expect(hexToBytes('00ff7f80')).toEqual(new Uint8Array([0, 255, 127, 128]))
		expect(hexToBytes('DEADbeef')).toEqual(new Uint8Array([0xde, 0xad, 0xbe, 0xef]))
		expect(hexToBytes('')).toEqual(new Uint8Array(0))
		const all = Uint8Array.from({ length: 256 }, (_, i) => i)
		const hex = Array.from(all, (b) => b.toString(16).padStart(2, '0')).join('')
		expect(hexToBytes(hex)).toEqual(all)
		expect(hexToBytes(hex.toUpperCase())).toEqual(all)
	})

	it('refuses anything that is not whole bytes of hex digits', () => {
		for (const bad of [
			'abc',
			'zz',
			'0g',
			'g0',
			' 00',
			'00 ',
			'0x00',
			'@0',
			'`0',
			'ａ0',
			'0\u0141',
		]) {
			expect(hexToBytes(bad), JSON.stringify(bad)).toBeNull()
		}
		expect(decodeSignature('not hex', 'hex')).toBeNull()
	})
})
