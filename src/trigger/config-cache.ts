/**
 * Endpoint configs cached in the isolate, with their authenticators (keys imported once)
 * and IP allowlists (ranges parsed once).
 * Only config is cached, never an admission decision: the EndpointDO still decides every
 * request, and answers 404 itself for an endpoint deleted since we cached it.
 * @module
 */
import { type Authenticator, createAuthenticator } from '../auth'
import type { EndpointConfig } from '../endpoint/config'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { type Allowlist, compileAllowlist } from '../lib/ip-allowlist'
import { CONFIG_CACHE_TTL_MS } from '../limits'
import { forgetSaturation } from './saturation'

export interface CachedEndpoint {
	config: EndpointConfig
	authenticator: Authenticator
	/** Null when any address may send. */
	allowlist: Allowlist | null
}

interface Entry {
	value: CachedEndpoint | null
	expiresAt: number
}

const cache = new Map<string, Entry>()
/**
 * Loads under way: a burst that finds the cache cold waits for one `getConfig` instead
 * of sending one each (every one is a billed Durable Object request).
 */
const loading = new Map<string, Promise<CachedEndpoint | null>>()
const MAX_ENTRIES = 10_000

export function loadEndpoint(env: Env, endpointId: string): Promise<CachedEndpoint | null> {
	const now = Date.now()
	const hit = cache.get(endpointId)
	if (hit && hit.expiresAt > now) return Promise.resolve(hit.value)
	const pending = loading.get(endpointId)
	if (pending) return pending
	const load = fetchEndpoint(env, endpointId, now).finally(() => loading.delete(endpointId))
	loading.set(endpointId, load)
	return load
}

async function fetchEndpoint(
	env: Env,
	endpointId: string,
	now: number,
): Promise<CachedEndpoint | null> {
	const config = await endpointStub(env, endpointId).getConfig()
	const value = config
		? {
				config,
				authenticator: createAuthenticator(config.auth),
				allowlist: compileAllowlist(config.allowedIps ?? []),
			}
		: null
	if (cache.size >= MAX_ENTRIES) cache.clear()
	cache.set(endpointId, { value, expiresAt: now + CONFIG_CACHE_TTL_MS })
	return value
}

/** Called after an admin change in this isolate, so it takes effect here at once. */
export function invalidateEndpoint(endpointId: string): void {
	cache.delete(endpointId)
	loading.delete(endpointId)
	// A changed limit must not be judged by a refusal the old one gave.
	forgetSaturation(endpointId)
}
