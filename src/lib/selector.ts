/**
 * Selectors pick a value out of a request: `header:<name>` or `body:<dot.path>`. They
 * choose FIFO lanes (and, for shared endpoints, flows and instances). Pure.
 * @module
 */

export type Selector = { from: 'header'; name: string } | { from: 'body'; path: string[] }

export function parseSelector(text: string): Selector | null {
	const m = /^(header|body):(.+)$/.exec(text.trim())
	if (!m) return null
	const [, from, rest] = m as unknown as [string, 'header' | 'body', string]
	if (from === 'header') return { from, name: rest.toLowerCase() }
	const path = rest.split('.')
	return path.every((p) => p.length > 0) ? { from, path } : null
}

/**
 * The selected value as a string, or undefined when it is missing or not a scalar
 * (an object or array is not a usable key).
 */
export function select(
	selector: Selector,
	source: { headers: Headers | Record<string, string>; body: unknown },
): string | undefined {
	if (selector.from === 'header') {
		const h = source.headers
		const v = h instanceof Headers ? h.get(selector.name) : h[selector.name]
		return v === null || v === undefined || v === '' ? undefined : v
	}
	let node: unknown = source.body
	for (const key of selector.path) {
		if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return undefined
		if (/^\d+$/.test(key)) {
			// XML parses one repeated element as an object and several as an array; index 0
			// of a single element is that element, so one selector serves both shapes.
			node = Array.isArray(node) ? node[Number(key)] : key === '0' ? node : undefined
		} else {
			// Own keys only: `constructor` or `__proto__` must not reach the prototype.
			node =
				Array.isArray(node) || !Object.hasOwn(node, key)
					? undefined
					: (node as Record<string, unknown>)[key]
		}
	}
	if (typeof node === 'string') return node === '' ? undefined : node
	if (typeof node === 'number' || typeof node === 'boolean') return String(node)
	return undefined
}
