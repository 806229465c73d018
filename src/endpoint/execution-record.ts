/**
 * Execution records: the stored row and the view the admin API returns.
 * @module
 */
import { executionIdFor } from '../lib/ids'
import type { Json } from '../lib/json'

export type ExecutionStatus = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed'

export const EXECUTION_STATUSES: readonly ExecutionStatus[] = [
	'queued',
	'running',
	'retrying',
	'succeeded',
	'failed',
]

export const isTerminal = (status: ExecutionStatus): boolean =>
	status === 'succeeded' || status === 'failed'

/**
 * The columns an ExecutionRow is read with: everything but the stored request, which is
 * read only by `requestOf` (rows are read on every start and completion; the request
 * body has no business being copied out each time).
 */
export const EXECUTION_COLUMNS =
	'seq, status, attempts, received_at, started_at, finished_at, updated_at, source, sync, delivery_id, instance_id, flow, result_token, result_type, result_size, error, attempt_errors, steps, logs, method, path, content_type, size, lane, lease_holder, lease_until, redrives, replay_of, integration_version'

export interface ExecutionRow extends Record<string, SqlStorageValue> {
	seq: number
	status: ExecutionStatus
	attempts: number
	received_at: number
	started_at: number | null
	finished_at: number | null
	updated_at: number
	source: string
	sync: number
	delivery_id: string | null
	instance_id: string
	flow: string
	result_token: string
	result_type: string | null
	result_size: number | null
	error: string | null
	attempt_errors: string | null
	steps: string | null
	logs: string | null
	method: string
	path: string
	content_type: string
	size: number
	lane: string | null
	lease_holder: string | null
	/**
	 * The row's deadline: a running execution's lease; for a queued or retrying one, when
	 * its message is overdue. Past it, the endpoint's alarm re-drives the execution.
	 */
	lease_until: number | null
	redrives: number
	replay_of: string | null
	integration_version: number | null
}

export interface ExecutionView {
	id: string
	endpointId: string
	instanceId: string
	flow: string
	status: ExecutionStatus
	sequence: number
	attempts: number
	receivedAt: string
	startedAt: string | null
	finishedAt: string | null
	error?: string
	attemptErrors: Json[]
	steps: Json[]
	logs: Json[]
	/** Path of the result URL (the admin route makes it absolute). */
	resultPath?: string
	request: {
		method: string
		pathFragment: string
		contentType: string
		size: number
		deliveryId: string | null
	}
	synchronous: boolean
	/** The FIFO lane key ('' = default lane), or null when the endpoint is not FIFO. */
	lane: string | null
	/** The execution this one replays. */
	replayOf: string | null
	/** The data integration version it ran (last started); null for code integrations. */
	integrationVersion: number | null
}

/** The path of an execution's result URL, guarded by its token. */
export function resultPath(executionId: string, token: string): string {
	return `/results/${executionId}/${token}`
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

export function executionView(endpointId: string, row: ExecutionRow): ExecutionView {
	const id = executionIdFor(endpointId, row.seq)
	const view: ExecutionView = {
		id,
		endpointId,
		instanceId: row.instance_id,
		flow: row.flow,
		status: row.status,
		sequence: row.seq,
		attempts: row.attempts,
		receivedAt: iso(row.received_at) as string,
		startedAt: iso(row.started_at),
		finishedAt: iso(row.finished_at),
		attemptErrors: row.attempt_errors ? (JSON.parse(row.attempt_errors) as Json[]) : [],
		steps: row.steps ? (JSON.parse(row.steps) as Json[]) : [],
		logs: row.logs ? (JSON.parse(row.logs) as Json[]) : [],
		request: {
			method: row.method,
			pathFragment: row.path,
			contentType: row.content_type,
			size: row.size,
			deliveryId: row.delivery_id,
		},
		synchronous: row.sync === 1,
		lane: row.lane,
		replayOf: row.replay_of,
		integrationVersion: row.integration_version,
	}
	if (row.error !== null) view.error = row.error
	if (row.result_type !== null) view.resultPath = resultPath(id, row.result_token)
	return view
}
