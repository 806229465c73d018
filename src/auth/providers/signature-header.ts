/**
 * Small parsers shared by provider presets.
 * @module
 */
import { decodeSignature } from '../encoding'

/** The decoded signature after a fixed prefix (`sha256=`, `v0=`), or null. */
export function prefixedSignature(
	value: string | null,
	prefix: string,
	encoding: 'hex' | 'base64',
): Uint8Array | null {
	if (value === null) return null
	const trimmed = value.trim()
	if (!trimmed.startsWith(prefix)) return null
	return decodeSignature(trimmed.slice(prefix.length), encoding)
}

/**
 * `key=value` items of a list header (`t=1,v1=ab,v1=cd`), split on the first `=` of each
 * item; items without one are ignored, as the providers' own libraries do.
 */
export function keyValueItems(value: string, separator: string): Array<[string, string]> {
	const items: Array<[string, string]> = []
	for (const item of value.split(separator)) {
		const eq = item.indexOf('=')
		if (eq > 0) items.push([item.slice(0, eq).trim(), item.slice(eq + 1).trim()])
	}
	return items
}
