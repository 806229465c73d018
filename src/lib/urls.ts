/**
 * Public URLs of this deployment.
 * @module
 */
import type { Env } from '../env'

/** The origin senders use: PUBLIC_BASE_URL when set (behind a proxy), else the request's. */
export function publicOrigin(env: Env, requestUrl: string): string {
	const configured = env.PUBLIC_BASE_URL?.trim()
	if (configured) return configured.replace(/\/+$/, '')
	return new URL(requestUrl).origin
}

export const triggerUrl = (origin: string, endpointId: string): string =>
	`${origin}/trigger/${endpointId}`

/**
 * The path of an absolute URL as the runtime serialized it (`request.url`), without
 * building a URL object: for such a string this is exactly `new URL(url).pathname`.
 */
export function pathOf(url: string): string {
	const start = url.indexOf('/', url.indexOf('://') + 3)
	if (start === -1) return '/'
	let end = url.length
	const query = url.indexOf('?', start)
	if (query !== -1) end = query
	const hash = url.indexOf('#', start)
	if (hash !== -1 && hash < end) end = hash
	return url.slice(start, end)
}
