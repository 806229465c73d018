/**
 * What FIFO lane scheduling costs. Each execution on a FIFO endpoint passes through the
 * EndpointDO's outbox on its own SQLite: checked against its lane, held, released when
 * the lane frees, and removed when it finishes. That cycle is measured against the least
 * a durable outbox entry costs (store it, remove it), on the same Durable Object's real
 * SQLite in the same run. Choosing a lane from a request (`header:` / `body:` selectors)
 * is measured too, against reading the same header or field directly.
 * @module
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { test } from 'vitest'
import { Outbox } from '../../src/endpoint/outbox'
import type { ExecutionMessage } from '../../src/execution/message'
import { parseSelector, select } from '../../src/lib/selector'
import { LANE_STALL_MS } from '../../src/limits'

const message = (seq: number): ExecutionMessage => ({
	v: 1,
	executionId: `bench-${seq}`,
	endpointId: 'bench',
	sequence: seq,
	request: {
		method: 'POST',
		url: 'https://bench.test/trigger/bench',
		pathFragment: '',
		headers: [
			['content-type', 'application/json'],
			['x-github-event', 'issues'],
		],
		contentType: 'application/json',
		body: { inline: new Uint8Array(1024).fill(0x61) },
		receivedAt: 0,
	},
})

test('FIFO lane scheduling in the outbox (real SQLite)', async ({ bench }) => {
	// The bench harness cannot run inside a Durable Object (its timers belong to the test),
	// so each iteration enters the DO once; the first row measures that entry alone, to be
	// subtracted from the other two.
	const stub = env.ENDPOINT.getByName(`bench-lanes-${crypto.randomUUID()}`)
	let seq = 1
	let inflight = 0
	await runInDurableObject(stub, (_instance, state) => {
		// One lane with one execution in flight, as under load: each new one is held.
		new Outbox(state.storage.sql).store(0, 'lane', 'inflight', LANE_STALL_MS, message(0))
	})
	await bench.compare(
		bench('entering the Durable Object (no SQL)', async () => {
			await runInDurableObject(stub, () => undefined)
		}),
		bench('+ hold, release when the lane frees, remove when finished', async () => {
			await runInDurableObject(stub, (_instance, state) => {
				const outbox = new Outbox(state.storage.sql)
				const s = seq++
				if (outbox.laneBusy('lane')) outbox.store(s, 'lane', 'held', null, message(s))
				// The execution in flight finishes; the next held one is released.
				outbox.remove(inflight)
				const next = outbox.takeHeld('lane', LANE_STALL_MS)
				if (next) inflight = next.seq
			})
		}),
		bench('+ store and remove one entry (no lane)', async () => {
			await runInDurableObject(stub, (_instance, state) => {
				const outbox = new Outbox(state.storage.sql)
				const s = seq++
				outbox.store(s, null, 'inflight', LANE_STALL_MS, message(s))
				outbox.remove(s)
			})
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
