/**
 * Finished execution records are kept 30 days after they finished. Then a new execution
 * takes the oldest one's row, or, a day later, a sweep drops it (the endpoint's alarm when
 * it runs, else the registry's retention round), a bounded batch at a time.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
	EXECUTION_RETENTION_MS,
	RETENTION_RECYCLE_SLACK_MS,
	RETENTION_ROUND_MS,
	RETENTION_SWEEP_MAX,
} from '../../src/limits'
import { admin, createExamples, postJson, waitForStatus } from '../helpers'

const DAY = 24 * 60 * 60 * 1000

async function accepted(endpoint: string, n: number): Promise<string[]> {
	const ids: string[] = []
	for (let i = 0; i < n; i++) {
		const res = await postJson(endpoint, { i })
		ids.push(((await res.json()) as { executionId: string }).executionId)
	}
	for (const id of ids) expect((await waitForStatus(id)).status).toBe('succeeded')
	return ids
}

/** Moves an execution's timestamps `ago` ms into the past, as if it ran back then. */
function age(seqs: number[], ago: number) {
	return (_i: unknown, state: DurableObjectState) => {
		for (const seq of seqs) {
			state.storage.sql.exec(
				`UPDATE executions SET received_at = received_at - ?1, started_at = started_at - ?1,
				   finished_at = finished_at - ?1, updated_at = updated_at - ?1 WHERE seq = ?2`,
				ago,
				seq,
			)
		}
	}
}

async function runAlarmNow(endpoint: string) {
	const stub = env.ENDPOINT.getByName(endpoint)
	await runInDurableObject(stub, (_i, state) => state.storage.setAlarm(Date.now()))
	expect(await runDurableObjectAlarm(stub)).toBe(true)
}

const seqOf = (id: string) => Number(id.slice(id.lastIndexOf('-') + 1))

describe('execution retention', () => {
	it('keeps an expired record through the slack, and a new execution takes its row', async () => {
		const { echo } = await createExamples()
		const [old, kept] = await accepted(echo, 2)
		const stub = env.ENDPOINT.getByName(echo)
		await runInDurableObject(stub, age([seqOf(old as string)], EXECUTION_RETENTION_MS + 60_000))
		// Expired a minute ago: the alarm leaves it for a new execution to take.
		await runAlarmNow(echo)
		expect((await admin(`/api/executions/${old}`)).status).toBe(200)
		const [next] = await accepted(echo, 1)
		expect(seqOf(next as string)).toBe(3)
		expect((await admin(`/api/executions/${old}`)).status).toBe(404)
		expect((await admin(`/api/executions/${kept}`)).status).toBe(200)
		const rows = await runInDurableObject(
			stub,
			(_i, state) =>
				state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM executions').one().n,
		)
		expect(rows).toBe(2)
	})

	it('drops records no new execution took, a day after their 30 days; keeps newer ones and the newest', async () => {
		const { echo } = await createExamples()
		const [old, recent, newest] = await accepted(echo, 3)
		const stub = env.ENDPOINT.getByName(echo)
		await runInDurableObject(
			stub,
			age(
				[seqOf(old as string), seqOf(newest as string)],
				EXECUTION_RETENTION_MS + RETENTION_RECYCLE_SLACK_MS + DAY,
			),
		)
		await runInDurableObject(stub, age([seqOf(recent as string)], EXECUTION_RETENTION_MS - DAY))

		await runAlarmNow(echo)
		expect((await admin(`/api/executions/${old}`)).status).toBe(404)
		expect((await admin(`/api/executions/${recent}`)).status).toBe(200)
		// The newest record carries the sequence forward, however old it is: a restarted
		// object numbers the next request after it.
		expect((await admin(`/api/executions/${newest}`)).status).toBe(200)
		await evictDurableObject(stub)
		const next = ((await (await postJson(echo, {})).json()) as { executionId: string }).executionId
		expect(seqOf(next)).toBe(4)
	})

	it("an idle endpoint keeps no alarm; the registry's round drops its expired records, a deleted instance's too", async () => {
		const live = await createExamples()
		const gone = await createExamples()
		const [liveOld, liveNewest] = await accepted(live.echo, 2)
		const [goneOld, goneNewest] = await accepted(gone.echo, 2)
		expect((await admin(`/api/instances/${gone.instance.id}`, { method: 'DELETE' })).status).toBe(
			200,
		)
		const expired = EXECUTION_RETENTION_MS + RETENTION_RECYCLE_SLACK_MS + DAY
		for (const [echo, old] of [
			[live.echo, liveOld],
			[gone.echo, goneOld],
		] as const) {
			const stub = env.ENDPOINT.getByName(echo)
			// Its backstop alarm comes and goes; nothing is armed for the records after it.
			await runAlarmNow(echo)
			expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).toBeNull()
			await runInDurableObject(stub, age([seqOf(old as string)], expired))
		}

		const registry = env.REGISTRY.getByName('registry')
		const armed = await runInDurableObject(registry, (_i, state) => state.storage.getAlarm())
		expect(armed as number).toBeGreaterThan(Date.now() + RETENTION_ROUND_MS - 60_000)
		expect(await runDurableObjectAlarm(registry)).toBe(true)

		for (const old of [liveOld, goneOld])
			expect((await admin(`/api/executions/${old}`)).status).toBe(404)
		for (const newest of [liveNewest, goneNewest])
			expect((await admin(`/api/executions/${newest}`)).status).toBe(200)
		const next = await runInDurableObject(registry, (_i, state) => state.storage.getAlarm())
		expect(next as number).toBeGreaterThan(Date.now() + RETENTION_ROUND_MS - 60_000)
	})

	it('drops a large backlog a batch per alarm, and comes back within a second for the rest', async () => {
		const { echo } = await createExamples()
		const [first] = await accepted(echo, 1)
		const stub = env.ENDPOINT.getByName(echo)
		const backlog = RETENTION_SWEEP_MAX + 50
		// Copies of the finished record, all long expired, at sequence numbers after it.
		await runInDurableObject(stub, (_i, state) => {
			const columns = state.storage.sql
				.exec<{ name: string }>('SELECT name FROM pragma_table_info(?)', 'executions')
				.toArray()
				.map((c) => c.name)
				.filter((c) => c !== 'seq')
				.join(', ')
			state.storage.sql.exec(
				`WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?1)
				 INSERT INTO executions (seq, ${columns})
				 SELECT 1 + k, ${columns} FROM executions, n WHERE seq = ?2`,
				backlog,
				seqOf(first as string),
			)
			state.storage.sql.exec(
				'UPDATE executions SET received_at = received_at - ?1, finished_at = finished_at - ?1 WHERE seq > 1',
				EXECUTION_RETENTION_MS + DAY,
			)
		})
		const count = () =>
			runInDurableObject(
				stub,
				(_i, state) =>
					state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM executions').one().n,
			)
		expect(await count()).toBe(backlog + 1)

		await runAlarmNow(echo)
		expect(await count()).toBe(backlog + 1 - RETENTION_SWEEP_MAX)
		const next = await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())
		expect(next).not.toBeNull()
		expect(next as number).toBeLessThanOrEqual(Date.now() + 1_000)

		await runAlarmNow(echo)
		// The recent record and the newest copy (it carries the sequence) remain.
		expect(await count()).toBe(2)
		expect((await admin(`/api/executions/${first}`)).status).toBe(200)
	})
})
