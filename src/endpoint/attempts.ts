/**
 * The lease and attempt rules, as plain functions over an execution row: who may start
 * an execution, what a started attempt tells its runner, and what a completion report
 * writes. An execution's status only moves forward (queued → running → succeeded |
 * retrying → … → failed); attempts are counted when one starts, not from the queue's
 * delivery count, which also counts crashed batches that never started the flow.
 * @module
 */
import { executionIdFor } from '../lib/ids'
import { REDRIVE_AFTER_MS } from '../limits'
import type { CompletionReport, StartedExecution } from './api'
import type { EndpointConfig, InstanceSnapshot } from './config'
import type { ExecutionRow } from './execution-record'
import type { CompletionValues } from './execution-store'
import type { StalledStatus } from './redrive'

/** While another runner's lease on a running execution lasts, nobody else may start it. */
export const leasedToOther = (row: ExecutionRow, messageId: string, now: number): boolean =>
	row.status === 'running' &&
	row.lease_holder !== null &&
	row.lease_holder !== messageId &&
	row.lease_until !== null &&
	row.lease_until > now

export const failure = (error: string): CompletionReport => ({
	status: 'failed',
	error,
	steps: [],
	logs: [],
})

/** The status an execution nobody drives is stuck in, for the reason it is given up with. */
export const stalled = (row: ExecutionRow): StalledStatus =>
	row.status === 'running' || row.status === 'retrying' ? row.status : 'queued'

/** What the runner of attempt number `attempt`, leased to `holder`, is told. */
export function startedExecution(
	config: EndpointConfig,
	instance: InstanceSnapshot,
	row: ExecutionRow,
	attempt: number,
	holder: string,
): StartedExecution {
	return {
		run: true,
		executionId: executionIdFor(config.id, row.seq),
		integration: config.integration,
		flow: row.flow,
		instance,
		sync: row.sync === 1,
		resultToken: row.result_token,
		attempt,
		leaseHolder: holder,
		invokeUrl:
			config.endpointMode === 'instance-flow' ? null : (instance.webhookUrls[row.flow] ?? null),
	}
}

/** What a completion report writes, and whether it ends the execution. */
export interface Completion {
	values: CompletionValues
	terminal: boolean
	/** A retry's deadline: its message is overdue once the retry delay has passed. */
	deadline: number | null
}

export function completion(row: ExecutionRow, report: CompletionReport, now: number): Completion {
	const terminal = report.status !== 'retrying'
	const deadline = terminal ? null : now + (report.retryInSeconds ?? 0) * 1000 + REDRIVE_AFTER_MS
	return {
		terminal,
		deadline,
		values: {
			status: report.status,
			error: report.error ?? null,
			steps: JSON.stringify(report.steps),
			logs: JSON.stringify(report.logs),
			result_type: report.result?.contentType ?? null,
			result_size: report.result?.size ?? null,
			result_body: report.result?.inline ?? null,
			result_expires_at: report.result?.inline ? report.result.expiresAt : null,
			finished_at: terminal ? now : null,
			updated_at: now,
			attempt_errors: JSON.stringify(appendAttemptError(row, report, now)),
			lease_until: deadline,
			attempts: report.uncounted ? Math.max(0, row.attempts - 1) : row.attempts,
		},
	}
}

function appendAttemptError(row: ExecutionRow, report: CompletionReport, now: number): unknown[] {
	const list = row.attempt_errors ? (JSON.parse(row.attempt_errors) as unknown[]) : []
	if (report.error)
		list.push({ attempt: row.attempts, error: report.error, at: new Date(now).toISOString() })
	return list
}
