/**
 * The generic HMAC scheme: one signature of the raw body in a configured header, with an
 * optional fixed prefix (`sha256=`), hex or base64.
 * @module
 */
import { encodeSignature } from './encoding'
import type { HashName } from './keys'
import { prefixedSignature } from './providers/signature-header'
import type { HmacConfig } from './schema'
import { type HmacScheme, unreadable } from './scheme'

const HASHES: Record<NonNullable<HmacConfig['algorithm']>, HashName> = {
	sha1: 'SHA-1',
	sha256: 'SHA-256',
	sha512: 'SHA-512',
}

export function genericScheme(config: HmacConfig): HmacScheme {
	const hash = HASHES[config.algorithm ?? 'sha256']
	const header = config.header
	const encoding = config.encoding ?? 'hex'
	const prefix = config.prefix ?? ''
	return {
		async parse(request) {
			// The schema requires a header; a config that bypassed it fails closed.
			if (!header) return null
			const value = request.headers.get(header)
			const signature = prefixedSignature(value, prefix, encoding)
			return signature
				? { hash, messages: [request.rawBody], signatures: [signature] }
				: unreadable(value)
		},
		async sign(input, mac) {
			if (!header) throw new Error('hmac: a generic scheme needs a header')
			return { [header]: prefix + encodeSignature(await mac(hash, input.body), encoding) }
		},
	}
}
