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
