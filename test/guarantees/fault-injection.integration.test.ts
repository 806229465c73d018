/**
 * The delivery promise under injected faults, on the real queue, Durable Objects and R2:
 * a flow that throws on a seeded-random ~30% of attempts, a consumer that crashes whole
 * batches part-way and receives duplicate messages, 500 requests over 20 FIFO lanes.
 *
 * Asserted: every accepted execution ends in exactly one terminal record; attempts never
 * exceed the policy; no lane-order violation (each execution starts after its lane
 * predecessor finished); no execution runs again after it succeeded; and the dedupe
 * store is empty once its entries age past 24 h and the alarm runs.
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterAll, describe, expect, it } from 'vitest'
import type { EndpointDO } from '../../src/endpoint/endpoint-do'
import { consumerFaults, resetConsumerFaults } from '../../src/execution/faults'
import { defineFlow, defineIntegration } from '../../src/integrations/define'
import { registerIntegration } from '../../src/integrations/registry'
import { admin, patchEndpoint, postJson } from '../helpers'

const REQUESTS = 500
const LANES = 20
const ATTEMPTS = 4
const SEED = 20261122

/** A small, well-mixed hash → [0, 1): the "random" choices are reproducible per seed. */
function unit(text: string): number {
	let h = 2166136261 ^ SEED
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i)
		h = Math.imul(h, 16777619)
	}
	h ^= h >>> 13
	h = Math.imul(h, 0x5bd1e995)
	h ^= h >>> 15
	return (h >>> 0) / 2 ** 32
}

/** Every invocation of the flow, in order: what ran, which attempt, and how it ended. */
const runs: Array<{ executionId: string; attempt: number; ok: boolean }> = []

registerIntegration(
	defineIntegration({
		name: 'chaos',
		flows: {
			flaky: defineFlow({
				retry: { attempts: ATTEMPTS, initialDelayMs: 0, jitter: 0 },
				async onExecution(context) {
					const ok = unit(`${context.executionId}#${context.attempt}`) >= 0.3
					runs.push({ executionId: context.executionId, attempt: context.attempt, ok })
					if (!ok) throw new Error(`injected flow failure on attempt ${context.attempt}`)
					return { ok: true }
				},
			}),
		},
	}),
)

afterAll(() => resetConsumerFaults())

interface Exec {
	id: string
	status: string
	sequence: number
	attempts: number
	startedAt: string
	finishedAt: string | null
	lane: string | null
}

async function listAll(endpoint: string): Promise<Exec[]> {
	const out: Exec[] = []
	let cursor: string | null = null
	do {
		const q: string = `/api/executions?endpoint=${endpoint}&limit=200${cursor ? `&cursor=${cursor}` : ''}`
		const page = (await (await admin(q)).json()) as {
			executions: Exec[]
			nextCursor: string | null
		}
		out.push(...page.executions)
		cursor = page.nextCursor
	} while (cursor)
	return out
}

describe('fault injection: 500 requests over 20 FIFO lanes', () => {
	it('keeps every promise', async () => {
		const created = await admin('/api/instances', {
			method: 'POST',
			json: { integration: 'chaos' },
		})
		const { endpoints } = (await created.json()) as { endpoints: Array<{ id: string }> }
		const endpoint = endpoints[0]?.id as string
		await patchEndpoint(endpoint, {
			fifo: { key: 'header:x-lane' },
			rateLimit: { requestsPerSecond: 1000 },
		})

		// Every 5th batch crashes after handling one message; ~10% of messages are
		// delivered twice.
		let crashes = 0
		let duplicates = 0
		consumerFaults.crashBatch = (index) => index % 5 === 4 && ++crashes > 0
		consumerFaults.crashAfter = 1
		consumerFaults.duplicate = (id) => unit(`dup:${id}`) < 0.1 && ++duplicates > 0

		const accepted: string[] = []
		for (let start = 0; start < REQUESTS; start += 50) {
			const batch = await Promise.all(
				Array.from({ length: 50 }, (_, k) => {
					const i = start + k
					return postJson(
						endpoint,
						{ i },
						{ 'x-lane': `lane-${i % LANES}`, 'idempotency-key': `req-${i}` },
					)
				}),
			)
			for (const res of batch) {
				expect(res.status).toBe(200)
				accepted.push(((await res.json()) as { executionId: string }).executionId)
			}
		}
		expect(new Set(accepted).size).toBe(REQUESTS)

		// Wait until every execution is terminal.
		const deadline = Date.now() + 50_000
		let execs: Exec[] = []
		for (;;) {
			execs = await listAll(endpoint)
			const open = execs.filter((e) => e.status !== 'succeeded' && e.status !== 'failed')
			if (open.length === 0) break
			if (Date.now() > deadline) {
				const by: Record<string, number> = {}
				for (const e of open) by[e.status] = (by[e.status] ?? 0) + 1
				throw new Error(`${open.length} executions still open: ${JSON.stringify(by)}`)
			}
			await new Promise((r) => setTimeout(r, 250))
		}
		resetConsumerFaults()

		// Exactly one terminal record per accepted request.
		expect(execs).toHaveLength(REQUESTS)
		expect(new Set(execs.map((e) => e.id))).toEqual(new Set(accepted))

		// Attempts within policy.
		for (const e of execs) {
			expect(e.attempts).toBeGreaterThanOrEqual(1)
			expect(e.attempts).toBeLessThanOrEqual(ATTEMPTS)
		}

		// Zero lane-order violations.
		const lanes = new Map<string, Exec[]>()
		for (const e of execs) lanes.set(e.lane as string, [...(lanes.get(e.lane as string) ?? []), e])
		expect(lanes.size).toBe(LANES)
		let violations = 0
		for (const laneExecs of lanes.values()) {
			laneExecs.sort((a, b) => a.sequence - b.sequence)
			for (let i = 1; i < laneExecs.length; i++) {
				const prev = laneExecs[i - 1] as Exec
				const cur = laneExecs[i] as Exec
				if (Date.parse(cur.startedAt) < Date.parse(prev.finishedAt as string)) violations++
			}
		}
		expect(violations).toBe(0)

		// Zero executions run again after success, and a success is always the last run.
		const byExecution = new Map<string, typeof runs>()
		for (const r of runs)
			byExecution.set(r.executionId, [...(byExecution.get(r.executionId) ?? []), r])
		let ranAfterSuccess = 0
		for (const list of byExecution.values()) {
			const firstOk = list.findIndex((r) => r.ok)
			if (firstOk !== -1 && firstOk < list.length - 1) ranAfterSuccess++
		}
		expect(ranAfterSuccess).toBe(0)
		for (const e of execs) {
			const list = byExecution.get(e.id) ?? []
			expect(e.status === 'succeeded').toBe(list.some((r) => r.ok))
		}
		// The injected faults actually happened (the test would prove nothing otherwise).
		expect(runs.filter((r) => !r.ok).length).toBeGreaterThan(REQUESTS * 0.2)
		expect(crashes).toBeGreaterThan(10)
		expect(duplicates).toBeGreaterThan(REQUESTS * 0.05)

		// Delivery ids are remembered for 24 h, in their executions' rows: no storage of
		// their own to purge.
		const stub = env.ENDPOINT.getByName(endpoint)
		expect((await runInDurableObject(stub, (i: EndpointDO) => i.stats())).deliveries).toBe(REQUESTS)
		await runInDurableObject(stub, async (_i, state) => {
			state.storage.sql.exec('UPDATE executions SET received_at = received_at - 25 * 3600 * 1000')
			await state.storage.setAlarm(Date.now())
		})
		expect(await runDurableObjectAlarm(stub)).toBe(true)
		const stats = await runInDurableObject(stub, (i: EndpointDO) => i.stats())
		expect(stats.deliveries).toBe(0)
		expect(stats.pending).toBe(0)
	}, 60_000)
})
