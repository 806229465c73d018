/**
 * Replay: run stored requests again as new executions (the admin API and the console).
 * @module
 */
import type { ExecutionStatus } from '../endpoint/execution-record'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { loadLegacyArchive } from '../execution/archive'
import { GatewayError } from '../lib/errors'
import { parseExecutionId } from '../lib/ids'
import { notFound } from './errors'

/** Replays one execution's stored request as a new one on the same endpoint. */
export async function replayOne(env: Env, executionId: string): Promise<string> {
	const parsed = parseExecutionId(executionId)
	if (!parsed) throw notFound('Execution')
	const stub = endpointStub(env, parsed.endpointId)
	// The DO replays from its own row: one round trip, the request never leaves it.
	let result = await stub.replay(parsed.sequence)
	if (!result.ok && result.reason === 'no_request') {
		const legacy = await loadLegacyArchive(env, executionId)
		if (legacy) result = await stub.replay(parsed.sequence, legacy)
	}
	if (result.ok) return result.executionId
	switch (result.reason) {
		case 'execution_not_found':
			throw notFound('Execution')
		case 'endpoint_not_found':
			throw notFound('Endpoint')
		case 'no_request':
			throw new GatewayError(409, 'bad_request', 'Execution has no stored request to replay.')
	}
}

/** Replays an endpoint's executions of one status received in [from, to], oldest first. */
export async function bulkReplay(
	env: Env,
	endpointId: string,
	q: { status: ExecutionStatus; limit: number; from?: number; to?: number },
): Promise<{ executionIds: string[]; skipped: string[] }> {
	const stub = endpointStub(env, endpointId)
	if (!(await stub.getConfig())) throw notFound('Endpoint')
	const sources = await stub.listExecutions(q)
	// Oldest first, so a FIFO endpoint replays in the original order.
	const executionIds: string[] = []
	const skipped: string[] = []
	for (const source of sources.reverse()) {
		try {
			executionIds.push(await replayOne(env, source.id))
		} catch (err) {
			if (!(err instanceof GatewayError) || err.status !== 409) throw err
			skipped.push(source.id)
		}
	}
	return { executionIds, skipped }
}
