import { describe, expect, it } from 'vitest'
import { compileAllowlist, isValidRange } from '../../src/lib/ip-allowlist'

describe('isValidRange', () => {
	it.each([
		'192.0.2.1',
		'192.0.2.0/24',
		'0.0.0.0/0',
		'2001:db8::/32',
		'2001:db8::1',
		'::/0',
		'::ffff:192.0.2.0/120',
	])('accepts %s', (range) => {
		expect(isValidRange(range)).toBe(true)
	})
	it.each([
		'',
		'192.0.2.0/33',
		'2001:db8::/129',
		'192.0.2',
		'0x7f.1',
		'192.0.2.1/24/1',
		'192.0.2.0/-1',
		'192.0.2.0/ 8',
		'example.com',
		'fe80::1%eth0',
		'256.0.0.1',
	])('refuses %j', (range) => {
		expect(isValidRange(range)).toBe(false)
	})
})

describe('compileAllowlist', () => {
	it('allows everyone when empty', () => {
		expect(compileAllowlist([])).toBeNull()
	})

	it('matches IPv4 ranges and single addresses', () => {
		const allowed = compileAllowlist(['192.0.2.0/24', '198.51.100.7']) as (
			ip: string | null,
		) => boolean
		expect(allowed('192.0.2.0')).toBe(true)
		expect(allowed('192.0.2.255')).toBe(true)
		expect(allowed('192.0.3.0')).toBe(false)
		expect(allowed('198.51.100.7')).toBe(true)
		expect(allowed('198.51.100.8')).toBe(false)
	})

	it('matches IPv6 ranges in any spelling, and never an IPv4 client against them', () => {
		const allowed = compileAllowlist(['2001:db8:abcd::/48']) as (ip: string | null) => boolean
		expect(allowed('2001:db8:abcd::1')).toBe(true)
		expect(allowed('2001:0db8:abcd:0012:0000:0000:0000:0001')).toBe(true)
		expect(allowed('2001:db8:abce::1')).toBe(false)
		expect(allowed('192.0.2.1')).toBe(false)
	})

	it('treats IPv4-mapped IPv6 clients and ranges as the IPv4 they map', () => {
		const v4 = compileAllowlist(['192.0.2.0/24']) as (ip: string | null) => boolean
		expect(v4('::ffff:192.0.2.9')).toBe(true)
		expect(v4('::ffff:192.0.3.9')).toBe(false)
		const mapped = compileAllowlist(['::ffff:10.0.0.0/104']) as (ip: string | null) => boolean
		expect(mapped('10.1.2.3')).toBe(true)
		expect(mapped('11.1.2.3')).toBe(false)
	})

	it('refuses an absent or unparseable client address', () => {
		const allowed = compileAllowlist(['0.0.0.0/0', '::/0']) as (ip: string | null) => boolean
		expect(allowed('203.0.113.9')).toBe(true)
		expect(allowed('2001:db8::9')).toBe(true)
		expect(allowed(null)).toBe(false)
		expect(allowed('')).toBe(false)
		expect(allowed('not-an-ip')).toBe(false)
		expect(allowed('203.0.113.9, 10.0.0.1')).toBe(false)
	})
})
