/**
 * Reading one top-level string field of a JSON body (event ids used as delivery ids).
 * @module
 */

const decoder = new TextDecoder()

/** The string value of `field` in a JSON object body, or undefined when absent or unparsable. */
export function jsonStringField(body: Uint8Array, field: string): string | undefined {
	try {
		const value: unknown = JSON.parse(decoder.decode(body))
		if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
		const found = (value as Record<string, unknown>)[field]
		return typeof found === 'string' && found.length > 0 ? found : undefined
	} catch {
		return undefined
	}
}

/**
 * A delivery id in a JSON object body: the string or integer at `path` (`id`, or dotted
 * `event.id` for a nested one), or undefined when absent or unparsable.
 */
export function jsonIdField(body: Uint8Array, path: string): string | undefined {
	try {
		let value: unknown = JSON.parse(decoder.decode(body))
		for (const key of path.split('.')) {
			if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
			if (!Object.hasOwn(value, key)) return undefined
			value = (value as Record<string, unknown>)[key]
		}
		if (typeof value === 'string') return value.length > 0 ? value : undefined
		return Number.isSafeInteger(value) ? String(value) : undefined
	} catch {
		return undefined
	}
}
