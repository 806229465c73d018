/**
 * Flow results in R2, served by the result URL a synchronous caller is redirected to.
 * @module
 */
import type { Env } from '../env'
import { DEFAULT_RESULT_TTL_SECONDS } from '../limits'
import { serializeResult } from './run-flow'

export const resultKey = (executionId: string): string => `results/${executionId}`

export function resultTtlSeconds(env: Env): number {
	const n = Number(env.RESULT_TTL_SECONDS)
	return Number.isFinite(n) && n > 0 ? n : DEFAULT_RESULT_TTL_SECONDS
}

/**
 * Stores a result with its token and expiry in custom metadata; the results route checks
 * both (R2 lifecycle rules delete expired objects only eventually).
 */
export async function storeResult(
	env: Env,
	executionId: string,
	token: string,
	result: unknown,
): Promise<{ contentType: string; size: number }> {
	const { body, contentType } = serializeResult(result)
	const expiresAt = Date.now() + resultTtlSeconds(env) * 1000
	const obj = await env.STORE.put(resultKey(executionId), body, {
		httpMetadata: { contentType },
		customMetadata: { token, expiresAt: String(expiresAt) },
	})
	return { contentType, size: obj?.size ?? 0 }
}
