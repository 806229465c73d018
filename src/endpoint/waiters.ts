/**
 * Synchronous callers waiting for their execution to finish. In memory only: a waiter
 * lives no longer than the request that waits, and a caller whose object is evicted
 * gets its answer from the result URL instead. Every waiter is answered exactly once:
 * with the outcome when its execution finishes in time, or with `timeout` when its wait
 * runs out.
 * @module
 */
import { executionIdFor } from '../lib/ids'
import type { AcceptOutcome } from './api'
import { type ExecutionRow, resultPath } from './execution-record'

/** The answer for a caller whose execution finished. */
export function finishedAnswer(endpointId: string, row: ExecutionRow): AcceptOutcome {
	const executionId = executionIdFor(endpointId, row.seq)
	return {
		kind: 'finished',
		executionId,
		status: row.status === 'succeeded' ? 'succeeded' : 'failed',
		resultPath: row.result_type ? resultPath(executionId, row.result_token) : null,
		error: row.error,
	}
}

/** The answer for a caller whose wait ran out: where the result will be. */
export const pendingAnswer = (executionId: string, resultToken: string): AcceptOutcome => ({
	kind: 'pending',
	executionId,
	resultPath: resultPath(executionId, resultToken),
})

type Waiter = (outcome: AcceptOutcome) => void

export class SyncWaiters {
	#waiters = new Map<number, Waiter[]>()

	/** Resolves with what `settle` reports for `seq`, or with `timeout` after `waitMs`. */
	wait(seq: number, waitMs: number, timeout: () => AcceptOutcome): Promise<AcceptOutcome> {
		return new Promise<AcceptOutcome>((resolve) => {
			let done = false
			const finish = (outcome: AcceptOutcome) => {
				if (done) return
				done = true
				clearTimeout(timer)
				resolve(outcome)
			}
			const timer = setTimeout(() => finish(timeout()), waitMs)
			const list = this.#waiters.get(seq) ?? []
			list.push(finish)
			this.#waiters.set(seq, list)
		})
	}

	/**
	 * Answers everyone waiting for `seq`. `outcome` is only called when someone waits:
	 * most executions have no synchronous caller, and reading their row would be wasted.
	 */
	settle(seq: number, outcome: () => AcceptOutcome): void {
		const waiters = this.#waiters.get(seq)
		if (!waiters) return
		this.#waiters.delete(seq)
		const answer = outcome()
		for (const w of waiters) w(answer)
	}
}
