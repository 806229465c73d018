/**
 * Typed access to an endpoint's Durable Object, by the surface spelled out in `api.ts`.
 * @module
 */
import type { Env } from '../env'
import type { EndpointApi } from './api'

export function endpointStub(env: Env, endpointId: string): EndpointApi {
	return env.ENDPOINT.getByName(endpointId) as unknown as EndpointApi
}
