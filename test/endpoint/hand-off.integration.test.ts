/**
 * The queue hand-off alone: a send still out is known (the backstop leaves it alone),
 * and a refused send goes to the backstop. A message that never reached the queue at all
 * (the object died first) is re-sent at its row's deadline: see
 * test/guarantees/backstop.integration.test.ts and the trigger's crash test.
 */
import { describe, expect, it } from 'vitest'
import { QueueHandOff } from '../../src/endpoint/hand-off'
import type { ExecutionMessage } from '../../src/execution/message'
import { fakeQueue, insert, message, request, withStorage } from './collaborators'

const NOW = Date.now()

function handOff() {
	const q = fakeQueue()
	const refusals: Array<{ seq: number; message: ExecutionMessage }> = []
	const h = new QueueHandOff({
		queue: q.queue,
		faults: {},
		refused: async (seq, _error, m) => {
			refusals.push({ seq, message: m })
		},
	})
	return { h, ...q, refusals }
}

describe('QueueHandOff', () => {
	it('knows a send is out until it returns', () =>
		withStorage(async ({ store }) => {
			const { h, sent } = handOff()
			for (const seq of [1, 2]) insert(store, seq, NOW)
			h.track(1)
			h.track(2)
			const first = h.deliver(1, message(1, request(1), NOW))
			expect(h.isSending(1)).toBe(true)
			await first
			expect(h.isSending(1)).toBe(false)
			expect(h.isSending(2)).toBe(true)
			await h.deliver(2, message(2, request(2), NOW))
			expect(h.isSending(2)).toBe(false)
			expect(sent.map((m) => m.sequence)).toEqual([1, 2])
		}))

	it('hands a refused send to the backstop', () =>
		withStorage(async ({ store }) => {
			const { h, state, refusals, sent } = handOff()
			insert(store, 1, NOW)
			h.track(1)
			state.refuse = true
			await h.deliver(1, message(1, request(1), NOW))
			expect(sent).toEqual([])
			expect(refusals.map((r) => r.seq)).toEqual([1])
			expect(h.isSending(1)).toBe(false)
		}))
})
