/**
 * The lease and attempt machine: the rules as plain functions over an execution row (who
 * may start an execution, what a started attempt tells its runner, what a completion
 * report writes), and the class that applies them for the consumer. An execution's
 * status only moves forward (queued → running → succeeded | retrying → … → failed), and
 * a finished one never runs again, whatever the queue redelivers.
 * @module
 */
import { dataFlowOf } from '../integrations/data/runtime'
import { executionIdFor } from '../lib/ids'
import { LEASE_GRACE_MS, LEASE_MS, REDRIVE_AFTER_MS } from '../limits'
import type { CompletionOutcome, CompletionReport, StartedExecution, StartOutcome } from './api'
import type { CompletionValues } from './attempt-writes'
import type { Backstop } from './backstop'
import { type EndpointConfig, type InstanceSnapshot, instanceById } from './config'
import { type ExecutionRow, isTerminal } from './execution-record'
import type { ExecutionStore } from './execution-store'
import type { Lanes, Runnable } from './lanes'
import type { Outbox } from './outbox'
import { type StalledStatus, sentAt } from './redrive'
import { finishedAnswer, type SyncWaiters } from './waiters'

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
	const dataFlow = config.dataIntegration ? dataFlowOf(config.dataIntegration, row.flow) : undefined
	return {
		run: true,
		executionId: executionIdFor(config.id, row.seq),
		integration: config.integration,
		flow: row.flow,
		...(dataFlow ? { dataFlow } : {}),
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
			// Set only when terminal: a row with finished_at NULL is unfinished, which is
			// how the backstop and the lanes find it (unfinished-rows.ts).
			...(terminal ? { finished_at: now } : {}),
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

export interface AttemptDeps {
	store: ExecutionStore
	outbox: Outbox
	lanes: Pick<Lanes, 'resume' | 'isHeld' | 'retrying' | 'chain' | 'release'>
	backstop: Pick<Backstop, 'delivered'>
	waiters: Pick<SyncWaiters, 'settle'>
	/** The endpoint's config, deleted or not. */
	config(): EndpointConfig | null
	schedule(at: number): Promise<void>
	now(): number
}

/**
 * The lease and attempt machine: starts attempts for the consumer, records what they
 * report, and takes back leases nobody renews.
 */
export class Attempts {
	constructor(private readonly deps: AttemptDeps) {}

	/**
	 * Called by the consumer before it runs an attempt. A finished execution never runs
	 * again, whatever the queue redelivers; a held FIFO execution waits for its turn; and
	 * while one delivery holds the lease, a duplicate delivery of the same execution is
	 * told `busy` (and dropped: the holder's own message stays in the queue until it is
	 * acked, the lease-expiry alarm covers a holder that vanished). A redelivery of the
	 * holder's own message (same message id: the queue only redelivers after that
	 * consumer failed) takes over at once.
	 *
	 * Attempts are counted here, not from the queue's delivery count, which also counts
	 * crashed batches that never started the flow.
	 */
	async start(seq: number, messageId: string): Promise<StartOutcome> {
		const config = this.deps.config()
		const row = this.deps.store.row(seq)
		if (!config || !row) return { run: false, reason: 'unknown' }
		if (isTerminal(row.status)) {
			const chained = row.lane === null ? null : await this.deps.lanes.resume(row.lane, messageId)
			return chained
				? { run: false, reason: 'resume', chained }
				: { run: false, reason: 'finished' }
		}
		const instance = instanceById(config, row.instance_id)
		if (!instance) return { run: false, reason: 'unknown' }
		const now = this.deps.now()
		if (row.lane !== null && this.deps.lanes.isHeld(seq)) return { run: false, reason: 'held' }
		if (leasedToOther(row, messageId, now)) return { run: false, reason: 'busy' }
		if (row.lane === null && row.status !== 'running')
			this.deps.backstop.delivered(sentAt(row), now)
		return this.#begin(row, config, instance, messageId)
	}

	/** An execution's row and the lease machine for it, if its config and instance exist. */
	runnable(seq: number): Runnable | null {
		const config = this.deps.config()
		const row = this.deps.store.row(seq)
		const instance = config && row ? instanceById(config, row.instance_id) : null
		if (!config || !row || !instance) return null
		return { row, begin: (holder) => this.#begin(row, config, instance, holder) }
	}

	/** Counts an attempt and leases the execution to `holder` (a delivery or a chaining consumer). */
	async #begin(
		row: ExecutionRow,
		config: EndpointConfig,
		instance: InstanceSnapshot,
		holder: string,
	): Promise<StartedExecution> {
		const now = this.deps.now()
		const attempt = row.attempts + 1
		// The version this attempt runs, in the write that starts it: a replacement of the
		// definition between accept and start is what runs, so it is what is recorded.
		const version = config.dataIntegration?.version ?? null
		this.deps.store.attempts.begin(row.seq, attempt, holder, now, now + LEASE_MS, version)
		// If this runner dies without a report, the alarm takes the execution over.
		await this.deps.schedule(now + LEASE_MS + LEASE_GRACE_MS)
		return startedExecution(config, instance, row, attempt, holder)
	}

	/**
	 * Records an attempt's outcome. A terminal one releases the FIFO lane and wakes any
	 * synchronous caller waiting. With `chain`, the lane's next execution is not sent
	 * through the queue but started here and handed back for the caller to run: a queue
	 * hop per lane step would cap a lane far below the endpoint's rate.
	 */
	async complete(
		seq: number,
		report: CompletionReport,
		chain?: { holder: string },
	): Promise<CompletionOutcome> {
		const { store, lanes } = this.deps
		const row = store.row(seq)
		if (!row || isTerminal(row.status)) return {}
		const now = this.deps.now()
		const { values, terminal, deadline } = completion(row, report, now)
		store.attempts.complete(seq, values)
		if (deadline !== null && row.lane === null) await this.deps.schedule(deadline)
		if (!terminal) {
			if (row.lane !== null) await lanes.retrying(seq, report.retryInSeconds ?? 0, now)
			return {}
		}
		this.deps.outbox.remove(seq)
		this.deps.waiters.settle(seq, () =>
			finishedAnswer((this.deps.config() as EndpointConfig).id, store.row(seq) as ExecutionRow),
		)
		if (row.lane === null) return {}
		if (chain) return { next: await lanes.chain(row.lane, chain.holder) }
		await lanes.release(row.lane)
		return {}
	}

	/** Ends an execution with `reason`, as a failure report of its own would. */
	async fail(seq: number, reason: string): Promise<void> {
		await this.complete(seq, failure(reason))
	}

	/**
	 * A message exhausted the queue's retries. The execution fails unless another live
	 * delivery holds it (the dead message was a duplicate) or it is a held FIFO execution
	 * (the lane will dispatch it in turn).
	 */
	async deadLetter(seq: number, messageId: string, report: CompletionReport): Promise<void> {
		const row = this.deps.store.row(seq)
		if (!row || isTerminal(row.status)) return
		if (leasedToOther(row, messageId, this.deps.now()) || this.deps.lanes.isHeld(seq)) return
		await this.complete(seq, report)
	}

	/**
	 * A runner still at work keeps its lease (every LEASE_RENEW_EVERY_MS); false when the
	 * lease is no longer its own (it lapsed and the execution was taken over).
	 */
	renewLease(seq: number, holder: string): boolean {
		return this.deps.store.attempts.renewLease(seq, holder, this.deps.now() + LEASE_MS)
	}
}
