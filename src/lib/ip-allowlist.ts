/**
 * Per-endpoint IP allowlists: IPv4 and IPv6 CIDR ranges (or single addresses), checked
 * against the client address Cloudflare reports in `CF-Connecting-IP`. Parsing and
 * matching come from ipaddr.js (the parser behind Express's `trust proxy`): address
 * syntax, IPv6 compression and IPv4-mapped IPv6 addresses are easy to get subtly wrong.
 * @module
 */
import ipaddr from 'ipaddr.js'

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

/** Whether `client` (null when the header is absent) may send to the endpoint. */
export type Allowlist = (client: string | null) => boolean

/**
 * A range as written in config: four-part dotted IPv4 (no `0x7f.1` shorthands, which
 * ipaddr.js would accept but nobody means) or IPv6, with an optional prefix length.
 */
export function isValidRange(text: string): boolean {
	const [address, prefix, ...rest] = text.split('/')
	if (rest.length > 0 || address === undefined) return false
	if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return false
	if (ipaddr.IPv4.isValidFourPartDecimal(address))
		return prefix === undefined || Number(prefix) <= 32
	if (ipaddr.IPv6.isValid(address) && !address.includes('%'))
		return prefix === undefined || Number(prefix) <= 128
	return false
}

function parseRange(text: string): Range {
	if (text.includes('/')) return ipaddr.parseCIDR(text)
	const address = ipaddr.parse(text)
	return [address, address.kind() === 'ipv4' ? 32 : 128]
}

/** Null when the list is empty: every address may send. Ranges must be valid (see isValidRange). */
export function compileAllowlist(ranges: readonly string[]): Allowlist | null {
	if (ranges.length === 0) return null
	// An IPv4-mapped IPv6 range (::ffff:10.0.0.0/104) is the IPv4 range it maps.
	const compiled = ranges.map(parseRange).map(([address, bits]): Range => {
		if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96)
			return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96]
		return [address, bits]
	})
	return (client) => {
		if (!client) return false
		let address: ipaddr.IPv4 | ipaddr.IPv6
		try {
			// `process` turns an IPv4-mapped IPv6 client into the IPv4 address it is.
			address = ipaddr.process(client.trim())
		} catch {
			return false
		}
		return compiled.some(
			([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
		)
	}
}
