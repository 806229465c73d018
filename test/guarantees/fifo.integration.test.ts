/**
 * FIFO lanes, dedupe and replay on the real bindings.
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import type { EndpointDO } from '../../src/endpoint/endpoint-do'
import { consumerFaults, resetConsumerFaults } from '../../src/execution/faults'
import { LANE_CHAIN_MAX } from '../../src/limits'
import {
	admin,
	call,
	createExamples,
	getExecution,
	patchEndpoint,
	post,
	postJson,
	waitForStatus,
} from '../helpers'

interface Exec {
	id: string
	status: string
	sequence: number
	attempts: number
	startedAt: string
	finishedAt: string
	lane: string | null
	replayOf: string | null
}

const idOf = async (res: Response) => ((await res.json()) as { executionId: string }).executionId
const t = (iso: string) => Date.parse(iso)

async function allDone(ids: string[], timeoutMs = 30_000): Promise<Exec[]> {
	const out: Exec[] = []
	for (const id of ids) out.push((await waitForStatus(id, undefined, timeoutMs)) as unknown as Exec)
	return out
}

function expectLaneOrder(execs: Exec[]): void {
	const sorted = [...execs].sort((a, b) => a.sequence - b.sequence)
	for (let i = 1; i < sorted.length; i++) {
		const prev = sorted[i - 1] as Exec
		const cur = sorted[i] as Exec
		expect(t(cur.startedAt), `${cur.id} started before ${prev.id} finished`).toBeGreaterThanOrEqual(
			t(prev.finishedAt),
		)
	}
}

afterEach(() => resetConsumerFaults())

describe('FIFO (fifo: true)', () => {
	it('runs executions one at a time in the order they were accepted', async () => {
		const { echo } = await createExamples()
		expect((await patchEndpoint(echo, { fifo: true })).status).toBe(200)
		const ids: string[] = []
		for (let i = 0; i < 8; i++) ids.push(await idOf(await postJson(echo, { i, delayMs: 30 })))
		const execs = await allDone(ids)
		expect(execs.every((e) => e.status === 'succeeded')).toBe(true)
		expect(execs.every((e) => e.lane === '')).toBe(true)
		expectLaneOrder(execs)
	})

	it('the next execution waits until the previous one has finally failed (after its retries)', async () => {
		const { fail } = await createExamples()
		await patchEndpoint(fail, { fifo: true })
		const first = await idOf(await postJson(fail, { message: 'first fails' }))
		const second = await idOf(await postJson(fail, { message: 'second fails too' }))
		const [a, b] = await allDone([first, second], 40_000)
		expect(a).toMatchObject({ status: 'failed', attempts: 3 })
		expect(t((b as Exec).startedAt)).toBeGreaterThanOrEqual(t((a as Exec).finishedAt))
	}, 45_000)

	it('a synchronous request on a FIFO endpoint waits its turn', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: true })
		const slow = await idOf(await postJson(echo, { delayMs: 400 }))
		const res = await postJson(echo, { sync: true }, { 'triggerflare-synchronous': 'true' })
		expect(res.status).toBe(303)
		const syncId = res.headers.get('triggerflare-execution-id') as string
		const [a, b] = await allDone([slow, syncId])
		expect(t((b as Exec).startedAt)).toBeGreaterThanOrEqual(t((a as Exec).finishedAt))
	})
})

describe('lane chaining', () => {
	it('the consumer that finishes an execution runs the lane’s next ones itself, in order', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: true })
		const chained: string[] = []
		consumerFaults.onChained = (id) => {
			chained.push(id)
		}
		// The first one is still running while the rest arrive, so they are held behind it.
		const ids = [await idOf(await postJson(echo, { i: 0, delayMs: 300 }))]
		for (let i = 1; i < 5; i++) ids.push(await idOf(await postJson(echo, { i })))
		const execs = await allDone(ids)
		expect(execs.every((e) => e.status === 'succeeded' && e.attempts === 1)).toBe(true)
		expectLaneOrder(execs)
		expect(chained).toEqual(ids.slice(1))
		const stub = env.ENDPOINT.getByName(echo)
		expect((await runInDurableObject(stub, (i: EndpointDO) => i.stats())).pending).toBe(0)
	})

	it('a chain stops at its cap: the lane goes on through the queue', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: true, rateLimit: { requestsPerSecond: 1000 } })
		const chained = new Set<string>()
		consumerFaults.onChained = (id) => {
			chained.add(id)
		}
		const first = await idOf(await postJson(echo, { i: 0, delayMs: 1500 }))
		const rest = await Promise.all(
			Array.from({ length: LANE_CHAIN_MAX + 1 }, async (_, i) =>
				idOf(await postJson(echo, { i: i + 1 })),
			),
		)
		const execs = (await allDone([first, ...rest])).sort((a, b) => a.sequence - b.sequence)
		expect(execs.every((e) => e.status === 'succeeded' && e.attempts === 1)).toBe(true)
		expectLaneOrder(execs)
		// The first delivery ran LANE_CHAIN_MAX executions; the next came through the queue
		// and chained the one after it.
		const viaQueue = execs.filter((e) => !chained.has(e.id)).map((e) => e.sequence)
		expect(viaQueue).toEqual([1, LANE_CHAIN_MAX + 1])
	})

	it('a chained execution that fails is retried through the queue, and the lane keeps its order', async () => {
		const { fail } = await createExamples()
		await patchEndpoint(fail, { fifo: true })
		const chained: string[] = []
		consumerFaults.onChained = (id) => {
			chained.push(id)
		}
		const ids: string[] = []
		for (const message of ['a', 'b', 'c']) ids.push(await idOf(await postJson(fail, { message })))
		const execs = await allDone(ids, 40_000)
		for (const e of execs) expect(e).toMatchObject({ status: 'failed', attempts: 3 })
		expectLaneOrder(execs)
		// b and c each ran their first attempt chained, their later ones as queue deliveries.
		expect(chained).toEqual(ids.slice(1))
		const b = await getExecution(ids[1] as string)
		expect(b.attemptErrors.map((e) => e.attempt)).toEqual([1, 2, 3])
		const stub = env.ENDPOINT.getByName(fail)
		expect((await runInDurableObject(stub, (i: EndpointDO) => i.stats())).pending).toBe(0)
	}, 45_000)
})

/**
 * Four executions on one FIFO lane, the first slow so the other three are chained behind
 * it. `breakChain` installs a fault that fires once, on the first chained execution, and
 * returns which execution it hit. The queue's redelivery of the chain's message must
 * resume the lane: all succeed in order, the broken one on a second attempt, and the rest
 * still run as a chain (no execution waits for the lane deadline).
 */
async function expectChainResumed(breakChain: (chained: string[]) => () => string): Promise<void> {
	const { echo } = await createExamples()
	await patchEndpoint(echo, { fifo: true })
	const chained: string[] = []
	consumerFaults.onChained = (id) => {
		chained.push(id)
	}
	const broken = breakChain(chained)
	const ids = [await idOf(await postJson(echo, { i: 0, delayMs: 300 }))]
	for (let i = 1; i < 4; i++) ids.push(await idOf(await postJson(echo, { i })))
	const execs = await allDone(ids, 20_000)
	expect(broken()).toBe(ids[1])
	expect(execs.map((e) => [e.status, e.attempts])).toEqual([
		['succeeded', 1],
		// Started for the chain that broke (an attempt), then again for the redelivery.
		['succeeded', 2],
		['succeeded', 1],
		['succeeded', 1],
	])
	expectLaneOrder(execs)
	expect(chained).toEqual([ids[1], ids[1], ids[2], ids[3]])
	const stub = env.ENDPOINT.getByName(echo)
	expect((await runInDurableObject(stub, (i: EndpointDO) => i.stats())).pending).toBe(0)
}

describe('a consumer that dies in the middle of a chain', () => {
	it('is replaced by the queue’s redelivery, which resumes the chain at once (not at the lane deadline)', async () => {
		await expectChainResumed((chained) => {
			let crashed = ''
			consumerFaults.onChained = (id) => {
				chained.push(id)
				if (!crashed) {
					crashed = id
					throw new Error('injected crash mid-chain')
				}
			}
			return () => crashed
		})
	}, 25_000)
})

describe('a chained attempt that hits infrastructure trouble', () => {
	it('retries the queue message that carries the chain, and its redelivery resumes the lane in order', async () => {
		await expectChainResumed((chained) => {
			let failed = ''
			// Thrown inside the chain's try block, as a failing DO call or R2 read would be.
			consumerFaults.duplicate = (id) => {
				if (failed || !chained.includes(id)) return false
				failed = id
				throw new Error('injected infrastructure failure')
			}
			return () => failed
		})
	}, 25_000)
})

describe('keyed lanes (fifo: { key })', () => {
	it('keeps order within a key and runs keys in parallel; a missing key uses the default lane', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: { key: 'header:x-record-id' } })
		const byLane: Record<string, string[]> = { a: [], b: [], c: [] }
		for (let i = 0; i < 3; i++) {
			for (const lane of ['a', 'b', 'c']) {
				byLane[lane]?.push(
					await idOf(await postJson(echo, { i, delayMs: 150 }, { 'x-record-id': lane })),
				)
			}
		}
		const noKey = await idOf(await postJson(echo, { none: true }))
		const lanes = await Promise.all(Object.values(byLane).map((ids) => allDone(ids)))
		for (const execs of lanes) expectLaneOrder(execs)
		expect(lanes.map((execs) => execs[0]?.lane)).toEqual(['a', 'b', 'c'])
		expect(((await getExecution(noKey)) as unknown as Exec).lane).toBe('')
		// Parallel across keys: the first executions of lanes a and b overlap in time.
		const [a0, b0] = [lanes[0]?.[0] as Exec, lanes[1]?.[0] as Exec]
		expect(t(b0.startedAt)).toBeLessThan(t(a0.finishedAt))
	})

	it('selects lanes from the body too', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: { key: 'body:record.id' } })
		const id = await idOf(await postJson(echo, { record: { id: 77 } }))
		expect(((await waitForStatus(id)) as unknown as Exec).lane).toBe('77')
	})
})

describe('a lost completion report', () => {
	it('does not stall the lane: the alarm re-drives it, and nothing finished runs twice', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: true })
		const stub = env.ENDPOINT.getByName(echo)
		let lost = ''
		consumerFaults.loseCompletion = (id) => {
			if (lost) return false
			lost = id
			return true
		}
		const first = await idOf(await postJson(echo, { n: 1 }))
		const second = await idOf(await postJson(echo, { n: 2 }))
		await new Promise((r) => setTimeout(r, 500))
		expect(lost).toBe(first)
		expect((await getExecution(first)).status).toBe('running')
		expect((await getExecution(second)).status).toBe('queued')
		const held = await runInDurableObject(stub, (i: EndpointDO) => i.stats())
		expect(held.held).toBe(1)

		// Time passes: the crashed consumer's lease lapses and the lane's deadline is due.
		await runInDurableObject(stub, async (i: EndpointDO, state) => {
			i.leases.lapse()
			state.storage.sql.exec('UPDATE executions SET lease_until = 0')
			i.outbox.lapse()
			await state.storage.setAlarm(Date.now())
		})
		expect(await runDurableObjectAlarm(stub)).toBe(true)
		const [a, b] = await allDone([first, second])
		expect(a).toMatchObject({ status: 'succeeded', attempts: 2 })
		expect(b).toMatchObject({ status: 'succeeded', attempts: 1 })
		expect(t((b as Exec).startedAt)).toBeGreaterThanOrEqual(t((a as Exec).finishedAt))

		// A later alarm finds nothing to re-drive; the finished executions stay as they are.
		await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()))
		await runDurableObjectAlarm(stub)
		await new Promise((r) => setTimeout(r, 200))
		expect((await getExecution(first)).attempts).toBe(2)
		expect((await runInDurableObject(stub, (i: EndpointDO) => i.stats())).pending).toBe(0)
	})
})

describe('duplicate deliveries', () => {
	it('the same idempotency-key twice → the original execution, run once', async () => {
		const { echo } = await createExamples()
		const a = await postJson(echo, { v: 1 }, { 'idempotency-key': 'evt_123' })
		const b = await postJson(echo, { v: 2 }, { 'idempotency-key': 'evt_123' })
		expect(a.status).toBe(200)
		expect(b.status).toBe(200)
		const first = await idOf(a)
		expect(await idOf(b)).toBe(first)
		expect(b.headers.get('triggerflare-execution-id')).toBe(first)
		await waitForStatus(first)
		const list = (await (await admin(`/api/executions?endpoint=${echo}`)).json()) as {
			executions: unknown[]
		}
		expect(list.executions).toHaveLength(1)
	})

	it('uses the endpoint’s idempotencyHeader, and a sync duplicate gets the original’s 303', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { idempotencyHeader: 'x-delivery' })
		const sync = { 'triggerflare-synchronous': 'true', 'x-delivery': 'd-9' }
		const a = await postJson(echo, { v: 1 }, sync)
		const b = await postJson(echo, { v: 1 }, sync)
		expect(a.status).toBe(303)
		expect(b.status).toBe(303)
		expect(b.headers.get('location')).toBe(a.headers.get('location'))
	})

	it('duplicates spend no rate budget', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { rateLimit: { requestsPerSecond: 2 } })
		expect((await post(echo, null, { 'idempotency-key': 'k' })).status).toBe(200)
		for (let i = 0; i < 5; i++)
			expect((await post(echo, null, { 'idempotency-key': 'k' })).status).toBe(200)
		expect((await post(echo, null)).status).toBe(200)
		expect((await post(echo, null)).status).toBe(429)
	})

	it('delivery ids are forgotten after 24 h, and need no storage of their own', async () => {
		const { echo } = await createExamples()
		for (let i = 0; i < 20; i++) await post(echo, null, { 'idempotency-key': `old-${i}` })
		const stub = env.ENDPOINT.getByName(echo)
		expect((await runInDurableObject(stub, (i: EndpointDO) => i.stats())).deliveries).toBe(20)
		// Each id lives in its execution's row (an index entry), and goes with it at retention.
		expect(
			await runInDurableObject(
				stub,
				(_i, state) =>
					state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM deliveries').one().n,
			),
		).toBe(0)
		await runInDurableObject(stub, (_i, state) => {
			state.storage.sql.exec('UPDATE executions SET received_at = received_at - 25 * 3600 * 1000')
		})
		expect((await runInDurableObject(stub, (i: EndpointDO) => i.stats())).deliveries).toBe(0)
		// The same id is a new delivery now.
		const again = await post(echo, null, { 'idempotency-key': 'old-0' })
		expect((await getExecution(await idOf(again))).sequence).toBe(21)
	})
})

describe('replay', () => {
	it('runs the stored request again as a new execution: original bytes and signature headers', async () => {
		const { echo } = await createExamples()
		const body = new Uint8Array([0, 1, 2, 250, 251, 252])
		const original = await idOf(
			await post(
				echo,
				body,
				{ 'content-type': 'application/octet-stream', 'x-hub-signature-256': 'sha256=abc123' },
				'/a/path?q=1&q=2',
			),
		)
		const done = await waitForStatus(original)
		const res = await admin(`/api/executions/${original}/replay`, { method: 'POST' })
		expect(res.status).toBe(202)
		const replayId = await idOf(res)
		expect(replayId).not.toBe(original)
		const replayed = (await waitForStatus(replayId)) as unknown as Exec & { resultUrl: string }
		expect(replayed.replayOf).toBe(original)
		const read = async (url: string) => (await call(new URL(url).pathname)).json()
		const a = (await read(done.resultUrl as string)) as Record<string, unknown>
		const b = (await read(replayed.resultUrl)) as Record<string, unknown>
		expect(b).toEqual(a)
		expect((b.headers as Record<string, string>)['x-hub-signature-256']).toBe('sha256=abc123')
		expect((b.body as { data: string }).data).toBe('AAEC+vv8')
		expect(b.pathFragment).toBe('a/path')
		expect(b.queryParameters).toEqual({ q: ['1', '2'] })
	})

	it('keeps the request with the execution: no R2 archive object per execution', async () => {
		const { echo } = await createExamples()
		const id = await idOf(await postJson(echo, { n: 1 }))
		await waitForStatus(id)
		expect((await env.STORE.list({ prefix: 'archive/' })).objects).toEqual([])
		const replayId = await idOf(await admin(`/api/executions/${id}/replay`, { method: 'POST' }))
		expect((await waitForStatus(replayId)).status).toBe('succeeded')
	})

	it('still replays an execution recorded before requests were kept in the row (R2 archive)', async () => {
		const { echo } = await createExamples()
		const id = await idOf(await postJson(echo, { n: 1 }))
		const done = await waitForStatus(id)
		const stub = env.ENDPOINT.getByName(echo)
		const sequence = Number(id.slice(id.lastIndexOf('-') + 1))
		// What an older gateway left behind: no request in the row, an archive object in R2.
		await runInDurableObject(stub, (_obj: EndpointDO, state) => {
			state.storage.sql.exec(
				'UPDATE executions SET request = NULL, request_body = NULL WHERE seq = ?',
				sequence,
			)
		})
		const legacyBody = new TextEncoder().encode('{"legacy":true}')
		await env.STORE.put(
			`archive/${id}`,
			JSON.stringify({
				method: 'POST',
				url: `https://example.com/trigger/${echo}`,
				pathFragment: '',
				headers: [['content-type', 'application/json']],
				contentType: 'application/json',
				receivedAt: Date.now(),
				body: { base64: btoa(String.fromCharCode(...legacyBody)) },
			}),
		)
		const replayId = await idOf(await admin(`/api/executions/${id}/replay`, { method: 'POST' }))
		const replayed = (await waitForStatus(replayId)) as unknown as { resultUrl: string }
		const result = (await (await call(new URL(replayed.resultUrl).pathname)).json()) as {
			body: { data: unknown }
		}
		expect(result.body.data).toEqual({ legacy: true })
		expect(done.status).toBe('succeeded')
	})

	it('404 for an unknown execution', async () => {
		const { echo } = await createExamples()
		expect((await admin(`/api/executions/${echo}-42/replay`, { method: 'POST' })).status).toBe(404)
	})

	it('bulk-replays an endpoint’s failed executions in a time range', async () => {
		const { fail } = await createExamples()
		const from = new Date().toISOString()
		const failed: string[] = []
		for (let i = 0; i < 3; i++) {
			const res = await postJson(fail, { message: `m${i}` }, { 'triggerflare-synchronous': 'true' })
			expect(res.status).toBe(400)
			failed.push(res.headers.get('triggerflare-execution-id') as string)
		}
		const res = await admin(`/api/endpoints/${fail}/replay`, {
			method: 'POST',
			json: { status: 'failed', from, to: new Date(Date.now() + 1000).toISOString() },
		})
		expect(res.status).toBe(202)
		const out = (await res.json()) as { executionIds: string[]; replayed: number }
		expect(out.replayed).toBe(3)
		const replays = await Promise.all(out.executionIds.map((id) => getExecution(id)))
		expect(replays.map((r) => (r as unknown as Exec).replayOf)).toEqual(failed)
		const none = await admin(`/api/endpoints/${fail}/replay`, {
			method: 'POST',
			json: { from: '2000-01-01T00:00:00Z', to: '2000-01-02T00:00:00Z' },
		})
		expect(((await none.json()) as { replayed: number }).replayed).toBe(0)
	})
})
