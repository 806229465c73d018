/**
 * What a replay records: the stored request of an execution, as a new execution that
 * skips the rate window and dedupe (replays are operator actions) and takes the
 * original's FIFO lane.
 * @module
 */
import type { RequestEnvelope } from '../execution/message'
import { executionIdFor } from '../lib/ids'
import type { ReplayOutcome } from './api'
import type { EndpointConfig } from './config'
import type { ExecutionStore } from './execution-store'
import type { Recorded, Recorder } from './recorder'

export type ReplayRecord = { ok: true; recorded: Recorded } | Extract<ReplayOutcome, { ok: false }>

/**
 * `legacyRequest` is for executions recorded before requests were kept in the row (the
 * caller read their R2 archive after this answered `no_request`).
 */
export function recordReplay(
	deps: { config: EndpointConfig | null; store: ExecutionStore; recorder: Recorder },
	sourceSeq: number,
	legacyRequest: RequestEnvelope | undefined,
	now: number,
): ReplayRecord {
	const { config, store } = deps
	const source = store.row(sourceSeq)
	if (!source) return { ok: false, reason: 'execution_not_found' }
	if (!config || config.deletedAt) return { ok: false, reason: 'endpoint_not_found' }
	const request = legacyRequest ?? store.request(sourceSeq)
	if (!request) return { ok: false, reason: 'no_request' }
	const recorded = deps.recorder.record(request, now, {
		source: 'replay',
		sync: false,
		deliveryId: null,
		lane: config.fifo ? (source.lane ?? '') : null,
		replayOf: executionIdFor(config.id, sourceSeq),
		integrationVersion: config.dataIntegration?.version ?? null,
		instanceId: source.instance_id,
		flow: source.flow,
	})
	return { ok: true, recorded }
}
