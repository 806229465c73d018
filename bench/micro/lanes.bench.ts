/**
 * What FIFO lane scheduling costs. Each execution on a FIFO endpoint passes through the
 * EndpointDO's lanes (outbox.ts, in memory over the execution rows): checked against its
 * lane, held, released when the lane frees, and removed when it finishes. That cycle is
 * measured against a bare Map entry set and deleted, in the same run. Choosing a lane
 * from a request (`header:` / `body:` selectors) is measured too, against reading the
 * same header or field directly.
 * @module
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { test } from 'vitest'
import { ExecutionStore } from '../../src/endpoint/execution-store'
import { Outbox } from '../../src/endpoint/outbox'
import { parseSelector, select } from '../../src/lib/selector'
import { LANE_STALL_MS } from '../../src/limits'

test('FIFO lane scheduling in the outbox (in memory)', async ({ bench }) => {
	const stub = env.ENDPOINT.getByName(`bench-lanes-${crypto.randomUUID()}`)
	// Built on a real object's store (read only at restore and for messages, not here).
	const outbox = await runInDurableObject(
		stub,
		(_instance, state) => new Outbox(new ExecutionStore(state.storage.sql), () => 'bench'),
	)
	// One lane with one execution in flight, as under load: each new one is held.
	outbox.add(0, 'lane', 'inflight', LANE_STALL_MS)
	let seq = 1
	let inflight = 0
	const bare = new Map<number, number>()
	await bench.compare(
		bench('hold, release when the lane frees, remove when finished', () => {
			const s = seq++
			if (outbox.laneBusy('lane')) outbox.add(s, 'lane', 'held', null)
			// The execution in flight finishes; the next held one is released.
			outbox.remove(inflight)
			const next = outbox.takeHeld('lane', LANE_STALL_MS)
			if (next) inflight = next.seq
		}),
		bench('a Map entry set and deleted', () => {
			const s = seq++
			bare.set(s, s)
			bare.delete(s)
		}),
	)
})

test('choosing a lane from a request', async ({ bench }) => {
	const headers = new Headers({ 'x-record-id': 'rec-42', 'content-type': 'application/json' })
	const body = { record: { id: 'rec-42', fields: { a: 1 } } }
	const header = 'header:x-record-id'
	const field = 'body:record.id'
	await bench.compare(
		bench('header: selector (parsed per request, as the route does)', () => {
			const selector = parseSelector(header)
			if (selector) select(selector, { headers, body })
		}),
		bench('body: selector (parsed per request)', () => {
			const selector = parseSelector(field)
			if (selector) select(selector, { headers, body })
		}),
		bench('the header read directly', () => {
			headers.get('x-record-id')
		}),
	)
})
