/**
 * The FIFO lane protocol alone, on real SQLite: one execution in flight per lane, the
 * rest held in order; a finished one releases (or chains) the next; a chain's
 * redelivery resumes it; a stalled lane is re-driven, within bounds.
 */
import { describe, expect, it } from 'vitest'
import type { StartedExecution } from '../../src/endpoint/api'
import { completion } from '../../src/endpoint/attempts'
import type { ExecutionRow } from '../../src/endpoint/execution-record'
import type { ExecutionStore } from '../../src/endpoint/execution-store'
import { chainHolder, Lanes, lastOfChain } from '../../src/endpoint/lanes'
import type { Outbox } from '../../src/endpoint/outbox'
import type { ExecutionMessage } from '../../src/execution/message'
import {
	LANE_CHAIN_MAX,
	LANE_CHAIN_MAX_MS,
	LANE_STALL_MS,
	LEASE_MS,
	REDISPATCH_AFTER_MS,
	REDRIVE_MAX,
} from '../../src/limits'
import { insert, withStorage } from './collaborators'

const NOW = Date.now()

function lanes(store: ExecutionStore, outbox: Outbox) {
	const sent: ExecutionMessage[] = []
	const alarms: number[] = []
	const failed: Array<{ seq: number; reason: string }> = []
	const l = new Lanes({
		store,
		outbox,
		now: () => NOW,
		send: async (m) => {
			sent.push(m)
			return { ok: true }
		},
		refused: async () => {
			throw new Error('no refusals in these tests')
		},
		runnable: (seq) => {
			const row = store.row(seq)
			if (!row) return null
			return {
				row,
				begin: async (holder) => {
					store.attempts.begin(seq, row.attempts + 1, holder, NOW, NOW + LEASE_MS, null)
					return { run: true, leaseHolder: holder, attempt: row.attempts + 1 } as StartedExecution
				},
			}
		},
		fail: async (seq, reason) => {
			failed.push({ seq, reason })
		},
		schedule: async (at) => {
			alarms.push(at)
		},
	})
	return { l, sent, alarms, failed }
}

/** Records and stages `seqs` on `lane`, as the accept path does. */
function accept(l: Lanes, store: ExecutionStore, lane: string, seqs: number[]): string[] {
	return seqs.map((seq) => {
		insert(store, seq, NOW, lane)
		return l.stage(seq, lane, NOW)
	})
}

/** Ends an execution as a completion report does; `complete` also drops its outbox entry. */
function finish(store: ExecutionStore, outbox: Outbox, seq: number, dropEntry = true) {
	const row = store.row(seq) as ExecutionRow
	store.attempts.complete(
		seq,
		completion(row, { status: 'succeeded', steps: [], logs: [] }, NOW).values,
	)
	if (dropEntry) outbox.remove(seq)
}

describe('Lanes', () => {
	it('lets one execution per lane fly; the rest wait in order; lanes are independent', () =>
		withStorage(({ store, outbox }) => {
			const { l } = lanes(store, outbox)
			expect(accept(l, store, 'a', [1, 2, 3])).toEqual(['inflight', 'held', 'held'])
			expect(accept(l, store, 'b', [4])).toEqual(['inflight'])
			expect([1, 2, 3, 4].map((s) => l.isHeld(s))).toEqual([false, true, true, false])
			expect(outbox.nextDue()).toBe(NOW + REDISPATCH_AFTER_MS)
		}))

	it('releases the next held execution, in order, once the lane is free', () =>
		withStorage(async ({ store, outbox }) => {
			const { l, sent, alarms } = lanes(store, outbox)
			accept(l, store, 'a', [1, 2, 3])
			await l.release('a')
			expect(sent).toEqual([]) // 1 is still in flight
			finish(store, outbox, 1)
			await l.release('a')
			expect(sent.map((m) => m.sequence)).toEqual([2])
			expect(l.isHeld(2)).toBe(false)
			expect(l.isHeld(3)).toBe(true)
			expect(alarms).toEqual([NOW + LANE_STALL_MS])
		}))

	it('chains: starts the next execution for the consumer instead of sending it', () =>
		withStorage(async ({ store, outbox }) => {
			const { l, sent } = lanes(store, outbox)
			accept(l, store, 'a', [1, 2])
			finish(store, outbox, 1)
			const next = await l.chain('a', 'msg-1')
			expect(next?.message.sequence).toBe(2)
			expect(next?.start.leaseHolder).toBe(chainHolder('msg-1'))
			expect(store.row(2)?.lease_holder).toBe('chain:msg-1')
			expect(sent).toEqual([])
			expect(await l.chain('a', 'msg-1')).toBeNull()
		}))

	it('resumes a chain only for a redelivery of the message that carried it', () =>
		withStorage(async ({ store, outbox }) => {
			const { l } = lanes(store, outbox)
			accept(l, store, 'a', [1, 2])
			finish(store, outbox, 1)
			await l.chain('a', 'msg-1')
			expect(await l.resume('a', 'msg-other')).toBeNull()
			const resumed = await l.resume('a', 'msg-1')
			expect(resumed?.message.sequence).toBe(2)
			expect(resumed?.start.attempt).toBe(2) // the lost attempt counts
		}))

	it('re-drives a stalled lane, waits for a live lease, and gives up after REDRIVE_MAX', () =>
		withStorage(async ({ store, outbox }) => {
			const { l, sent, failed } = lanes(store, outbox)
			accept(l, store, 'a', [1])
			const later = NOW + REDISPATCH_AFTER_MS
			await l.redrive(later)
			expect(sent.map((m) => m.sequence)).toEqual([1])
			expect(store.row(1)?.redrives).toBe(1)

			// A runner holding a live lease is waited for, not re-driven.
			store.attempts.begin(1, 1, 'msg', later, later + LEASE_MS, null)
			outbox.setDue(1, later)
			await l.redrive(later)
			expect(sent).toHaveLength(1)

			store.attempts.countRedrive(1, REDRIVE_MAX)
			outbox.setDue(1, later)
			await l.redrive(later + LANE_STALL_MS)
			expect(failed).toEqual([
				{ seq: 1, reason: expect.stringMatching(/^Execution abandoned: its runner stopped/) },
			])
		}))

	it('drops the entry of a finished execution and frees its lane', () =>
		withStorage(async ({ store, outbox }) => {
			const { l, sent } = lanes(store, outbox)
			accept(l, store, 'a', [1, 2])
			finish(store, outbox, 1, false)
			await l.redrive(NOW + REDISPATCH_AFTER_MS)
			expect(sent.map((m) => m.sequence)).toEqual([2])
			expect(outbox.counts()).toEqual({ pending: 1, held: 0 })
		}))
})

describe('lastOfChain', () => {
	it('ends a chain at its length or time cap', () => {
		expect(lastOfChain(1, NOW, NOW)).toBe(false)
		expect(lastOfChain(LANE_CHAIN_MAX - 1, NOW, NOW)).toBe(true)
		expect(lastOfChain(1, NOW, NOW + LANE_CHAIN_MAX_MS)).toBe(true)
	})
})
