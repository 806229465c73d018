/**
 * Recording and the backstop alone, on real SQLite: an execution is never recorded
 * without the means to send it; a refused message fails its execution or is kept for a
 * re-send; an overdue one is re-sent only once presumed lost.
 */
import { describe, expect, it } from 'vitest'
import { Backstop } from '../../src/endpoint/backstop'
import type { ExecutionStore } from '../../src/endpoint/execution-store'
import type { Outbox } from '../../src/endpoint/outbox'
import { Recorder } from '../../src/endpoint/recorder'
import type { ExecutionMessage } from '../../src/execution/message'
import {
	MAX_QUEUE_MESSAGE_BYTES,
	REDISPATCH_AFTER_MS,
	REDRIVE_AFTER_MS,
	REDRIVE_MAX,
} from '../../src/limits'
import { ENDPOINT, insert, message, request, withStorage } from './collaborators'

const NOW = Date.now()

function recorder(store: ExecutionStore, outbox: Outbox, faults: { storage?: boolean } = {}) {
	const tracked: number[] = []
	const r = new Recorder({
		store,
		outbox,
		// Every FIFO execution waits behind a busy lane here.
		lanes: {
			stage: (seq, lane) => {
				outbox.add(seq, lane, 'held', null)
				return 'held' as const
			},
		},
		handOff: { track: (seq) => tracked.push(seq) },
		endpointId: () => ENDPOINT,
		faults,
	})
	return { r, tracked }
}

const origin = (lane: string | null) =>
	({
		source: 'trigger',
		sync: false,
		deliveryId: 'd-1',
		lane,
		replayOf: null,
		instanceId: 'inst',
		flow: 'echo',
		integrationVersion: null,
	}) as const

describe('Recorder', () => {
	it('numbers executions after the newest row, and tracks a non-FIFO one until it is sent', () =>
		withStorage(({ store, outbox }) => {
			insert(store, 7, NOW)
			const { r, tracked } = recorder(store, outbox)
			r.restore()
			const recorded = r.record(request(1), NOW, origin(null))
			expect(recorded).toMatchObject({ seq: 8, executionId: `${ENDPOINT}-8`, held: false })
			expect(recorded.message.sequence).toBe(8)
			expect(tracked).toEqual([8])
			expect(store.seqOfDelivery('d-1', 0)).toBe(8)
			expect(r.lastSeq).toBe(8)
		}))

	it('stages a FIFO execution in its lane instead', () =>
		withStorage(({ store, outbox }) => {
			const { r, tracked } = recorder(store, outbox)
			expect(r.record(request(1), NOW, origin('a')).held).toBe(true)
			expect(tracked).toEqual([])
			expect(outbox.counts()).toEqual({ pending: 1, held: 1 })
		}))

	it('undoes a partly recorded execution: no row, no delivery id, no sequence number used', () =>
		withStorage(({ store, outbox }) => {
			const { r } = recorder(store, outbox, { storage: true })
			expect(() => r.record(request(1), NOW, origin(null))).toThrow('injected storage fault')
			expect(store.counts(0)).toEqual({ executions: 0, deliveries: 0 })
			expect(r.lastSeq).toBe(0)
		}))
})

function backstop(store: ExecutionStore, outbox: Outbox, queueDown = false) {
	const sent: ExecutionMessage[] = []
	const failed: Array<{ seq: number; reason: string }> = []
	const alarms: number[] = []
	const b = new Backstop({
		store,
		outbox,
		now: () => NOW,
		message: (seq) => store.message(ENDPOINT, seq),
		sending: () => false,
		send: async (m) => {
			sent.push(m)
			return queueDown ? { ok: false, error: new Error('queue down') } : { ok: true }
		},
		fail: async (seq, reason) => {
			failed.push({ seq, reason })
		},
		schedule: async (at) => {
			alarms.push(at)
		},
	})
	return { b, sent, failed, alarms }
}

describe('Backstop', () => {
	it('fails an execution whose message the queue can never take', () =>
		withStorage(async ({ store, outbox }) => {
			const { b, failed } = backstop(store, outbox)
			insert(store, 1, NOW)
			const huge = message(1, request(1), NOW)
			huge.request.body = { inline: new Uint8Array(MAX_QUEUE_MESSAGE_BYTES + 1) }
			await b.refused(1, null, new Error('Unknown Internal Error'), huge)
			expect(failed).toEqual([
				{ seq: 1, reason: expect.stringMatching(/^The queue refused this execution's message/) },
			])
		}))

	it('keeps a message refused for now, due again after a backoff', () =>
		withStorage(async ({ store, outbox }) => {
			const { b, failed, alarms } = backstop(store, outbox)
			insert(store, 1, NOW)
			await b.refused(1, null, new Error('queue down'), message(1, request(1), NOW))
			expect(failed).toEqual([])
			expect(store.row(1)).toMatchObject({ redrives: 1, lease_until: NOW + REDISPATCH_AFTER_MS })
			expect(alarms).toEqual([NOW + REDISPATCH_AFTER_MS])
		}))

	it('re-sends an overdue message once presumed lost, and fails it after REDRIVE_MAX', () =>
		withStorage(async ({ store, outbox }) => {
			const { b, sent, failed } = backstop(store, outbox)
			insert(store, 1, NOW - 2 * REDRIVE_AFTER_MS)
			insert(store, 2, NOW - 2 * REDRIVE_AFTER_MS)
			store.attempts.deferRefused(2, REDRIVE_MAX, NOW - 1)
			// Nothing delivered lately: the queue is idle, so the message is lost, not late.
			expect(await b.redriveOverdue(NOW)).toBe(false)
			expect(sent.map((m) => m.sequence)).toEqual([1])
			expect(store.row(1)?.redrives).toBe(1)
			expect(failed.map((f) => f.seq)).toEqual([2])
		}))

	it('a re-drive the queue refuses counts once, and is due again after a backoff', () =>
		withStorage(async ({ store, outbox }) => {
			const { b, sent, alarms } = backstop(store, outbox, true)
			insert(store, 1, NOW - 2 * REDRIVE_AFTER_MS)
			await b.redriveOverdue(NOW)
			expect(sent.map((m) => m.sequence)).toEqual([1])
			expect(store.row(1)).toMatchObject({ redrives: 1, lease_until: NOW + REDISPATCH_AFTER_MS })
			expect(alarms).toEqual([NOW + REDISPATCH_AFTER_MS])
		}))

	it('leaves a message that is only late while the consumer works through older ones', () =>
		withStorage(async ({ store, outbox }) => {
			const { b, sent } = backstop(store, outbox)
			insert(store, 1, NOW - 2 * REDRIVE_AFTER_MS)
			b.delivered(NOW - 2 * REDRIVE_AFTER_MS - 1, NOW - 1_000)
			expect(await b.redriveOverdue(NOW)).toBe(true)
			expect(sent).toEqual([])
		}))
})
