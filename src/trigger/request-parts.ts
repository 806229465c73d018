/**
 * Parts of a trigger request the route derives before accepting it. Pure.
 * @module
 */
import type { EndpointConfig } from '../endpoint/config'
import { parseSelector, select } from '../lib/selector'

/** The path after the endpoint id, percent-decoded; null if its escapes are malformed. */
export function decodePathFragment(rest: string): string | null {
	const fragment = rest.replace(/^\/+/, '')
	if (!fragment.includes('%')) return fragment
	try {
		return decodeURIComponent(fragment)
	} catch {
		return null
	}
}

/** The FIFO lane of a request: null (not FIFO), '' (the default lane), or the selected key. */
export function fifoLane(
	fifo: EndpointConfig['fifo'],
	headers: Headers,
	body: unknown,
): string | null {
	if (!fifo) return null
	if (fifo === true) return ''
	const selector = parseSelector(fifo.key)
	return (selector && select(selector, { headers, body })) ?? ''
}
