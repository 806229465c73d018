import { describe, expect, it, vi } from 'vitest'
import type { AcceptOutcome } from '../../src/endpoint/api'
import { SyncWaiters } from '../../src/endpoint/waiters'

const pending: AcceptOutcome = { kind: 'pending', executionId: 'e-1', resultPath: '/results/e-1/t' }
const finished: AcceptOutcome = {
	kind: 'finished',
	executionId: 'e-1',
	status: 'succeeded',
	resultPath: null,
	error: null,
}

describe('SyncWaiters', () => {
	it('answers every waiter of an execution with its outcome, read once', async () => {
		const waiters = new SyncWaiters()
		const a = waiters.wait(1, 10_000, () => pending)
		const b = waiters.wait(1, 10_000, () => pending)
		const outcome = vi.fn(() => finished)
		waiters.settle(1, outcome)
		expect(await Promise.all([a, b])).toEqual([finished, finished])
		expect(outcome).toHaveBeenCalledTimes(1)
	})

	it('does not read an outcome when nobody waits', () => {
		const waiters = new SyncWaiters()
		const outcome = vi.fn(() => finished)
		waiters.settle(7, outcome)
		expect(outcome).not.toHaveBeenCalled()
	})

	it('answers `timeout` when the wait runs out, and only once', async () => {
		vi.useFakeTimers()
		try {
			const waiters = new SyncWaiters()
			const answer = waiters.wait(2, 500, () => pending)
			vi.advanceTimersByTime(500)
			expect(await answer).toEqual(pending)
			// A late completion finds the waiter already answered.
			waiters.settle(2, () => finished)
			expect(await answer).toEqual(pending)
		} finally {
			vi.useRealTimers()
		}
	})

	it('keeps waiters of other executions waiting', async () => {
		const waiters = new SyncWaiters()
		let settled = false
		const other = waiters
			.wait(3, 10_000, () => pending)
			.then((o) => {
				settled = true
				return o
			})
		waiters.settle(4, () => finished)
		await Promise.resolve()
		expect(settled).toBe(false)
		waiters.settle(3, () => finished)
		expect(await other).toEqual(finished)
	})
})
