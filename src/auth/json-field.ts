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
