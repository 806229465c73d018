/**
 * The queue hand-off alone: its sent watermark moves only past sends that returned, and
 * after a restart what an earlier incarnation may not have sent is sent again.
 */
import { describe, expect, it } from 'vitest'
import { QueueHandOff } from '../../src/endpoint/hand-off'
import type { ExecutionMessage } from '../../src/execution/message'
import { fakeQueue, insert, message, request, withStorage } from './collaborators'

const NOW = Date.now()

function handOff(sql: SqlStorage, store: Parameters<typeof insert>[0]) {
	const q = fakeQueue()
	const refusals: Array<{ seq: number; message: ExecutionMessage }> = []
	const h = new QueueHandOff({
		sql,
		store,
		queue: q.queue,
		faults: {},
		message,
		refused: async (seq, _error, m) => {
			refusals.push({ seq, message: m })
		},
	})
	return { h, ...q, refusals }
}

const watermark = (sql: SqlStorage) =>
	sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'sent_through'").toArray()[0]
		?.value

describe('QueueHandOff', () => {
	it('keeps the watermark below a send still out, and persists it once sends return', () =>
		withStorage(async ({ sql, store }) => {
			const { h, sent } = handOff(sql, store)
			for (const seq of [1, 2, 3]) insert(store, seq, NOW)
			h.track(1)
			h.track(2)
			h.track(3)
			const first = h.deliver(1, message(1, request(1), NOW))
			expect(h.isSending(1)).toBe(true)
			await first
			// 2 and 3 are still out: only 1 is known to have reached the queue.
			h.advanceWatermark(3)
			expect(watermark(sql)).toBe('1')
			await Promise.all([
				h.deliver(2, message(2, request(2), NOW)),
				h.deliver(3, message(3, request(3), NOW)),
			])
			expect(h.busy).toBe(false)
			h.advanceWatermark(3)
			expect(watermark(sql)).toBe('3')
			expect(sent.map((m) => m.sequence)).toEqual([1, 2, 3])
		}))

	it('hands a refused send to the backstop', () =>
		withStorage(async ({ sql, store }) => {
			const { h, state, refusals, sent } = handOff(sql, store)
			insert(store, 1, NOW)
			h.track(1)
			state.refuse = true
			await h.deliver(1, message(1, request(1), NOW))
			expect(sent).toEqual([])
			expect(refusals.map((r) => r.seq)).toEqual([1])
			expect(h.busy).toBe(false)
		}))

	it('after a restart, re-sends queued executions past the watermark that have no outbox entry', () =>
		withStorage(async ({ sql, store, outbox }) => {
			for (const seq of [1, 2, 3, 4, 5]) insert(store, seq, NOW)
			// 2 was taken by a runner, 4 waits in the outbox (refused earlier): neither is re-sent.
			store.begin(2, 1, 'msg', NOW, NOW + 60_000, null)
			outbox.store(4, null, 'inflight', NOW, message(4, request(4), NOW))
			const { h, sent } = handOff(sql, store)
			h.restore(1, 5)
			const recovered = await h.recoverUnsent()
			expect([...recovered]).toEqual([3, 5])
			expect(sent.map((m) => m.sequence)).toEqual([3, 5])
			expect(sent[0]?.request.body).toEqual(request(3).body)
			// Once checked, the range is done with.
			expect([...(await h.recoverUnsent())]).toEqual([])
		}))

	it('has nothing to recover when the watermark covers every execution', () =>
		withStorage(async ({ sql, store }) => {
			insert(store, 1, NOW)
			const { h, sent } = handOff(sql, store)
			h.restore(1, 1)
			expect([...(await h.recoverUnsent())]).toEqual([])
			expect(sent).toEqual([])
		}))
})
