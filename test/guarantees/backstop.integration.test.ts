/**
 * Every 200 runs, and nothing stays unfinished: what cannot be carried is refused before
 * it is accepted (431), a message the queue refuses for good ends its execution `failed`
 * without blocking a FIFO lane or a synchronous caller, and every non-terminal execution
 * has an owner (a queued one whose message vanished is re-sent, a dead runner is taken
 * over), with a bound. A result that cannot be stored is the flow's failure.
 */

import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { AcceptOutcome } from '../../src/endpoint/api'
import type { EndpointDO } from '../../src/endpoint/endpoint-do'
import { consumerFaults } from '../../src/execution/faults'
import type { RequestEnvelope } from '../../src/execution/message'
import { REDRIVE_MAX } from '../../src/limits'
import {
	admin,
	createExamples,
	getExecution,
	patchEndpoint,
	post,
	postJson,
	waitForStatus,
} from '../helpers'

const stubOf = (endpointId: string) => env.ENDPOINT.getByName(endpointId)

async function executionsOf(endpointId: string): Promise<Array<{ id: string; status: string }>> {
	const res = await admin(`/api/executions?endpoint=${endpointId}`)
	return ((await res.json()) as { executions: Array<{ id: string; status: string }> }).executions
}

/** Headers (about 140 KB) that no queue message can carry, body or no body. */
const hugeHeaders = (): Record<string, string> =>
	Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`x-big-${i}`, 'h'.repeat(7_000)]))

/**
 * Hands an envelope straight to the endpoint's object, as the Worker would if a request
 * slipped past its carriage check: the real queue then refuses the message.
 */
async function acceptDirect(
	endpointId: string,
	instanceId: string,
	opts: { sync?: boolean; headers?: Array<[string, string]>; body?: string } = {},
): Promise<AcceptOutcome> {
	const body = new TextEncoder().encode(opts.body ?? '{"n":1}')
	const request: RequestEnvelope = {
		method: 'POST',
		url: `https://gateway.test/trigger/${endpointId}`,
		pathFragment: '',
		headers: [['content-type', 'application/json'], ...(opts.headers ?? [])],
		contentType: 'application/json',
		body: { inline: body },
		receivedAt: Date.now(),
	}
	return runInDurableObject(stubOf(endpointId), (d: EndpointDO) =>
		d.accept({
			request,
			deliveryId: null,
			sync: opts.sync ?? false,
			waitMs: 5_000,
			laneKey: null,
			flow: 'echo',
			instanceId,
		}),
	)
}

/** Moves every deadline of the endpoint (leases in memory too) into the past and runs its alarm. */
async function timePasses(endpointId: string): Promise<void> {
	const stub = stubOf(endpointId)
	await runInDurableObject(stub, async (d: EndpointDO, state) => {
		d.leases.lapse()
		state.storage.sql.exec(
			"UPDATE executions SET lease_until = 0 WHERE status IN ('queued', 'running', 'retrying')",
		)
		d.outbox.lapse()
		await state.storage.setAlarm(Date.now())
	})
	expect(await runDurableObjectAlarm(stub)).toBe(true)
}

/**
 * Accepts a request whose message the queue takes and then loses (acked unseen, as a
 * purged queue or a restarted dev server loses it); later messages are delivered.
 */
async function acceptLost(endpointId: string, body: unknown): Promise<string> {
	let lost = ''
	consumerFaults.vanish = (id) => {
		if (lost) return false
		lost = id
		return true
	}
	try {
		const res = await postJson(endpointId, body)
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		for (let i = 0; i < 100 && lost !== executionId; i++)
			await new Promise((r) => setTimeout(r, 20))
		expect(lost).toBe(executionId)
		return executionId
	} finally {
		delete consumerFaults.vanish
	}
}

describe('what cannot be carried is refused before it is accepted', () => {
	it('headers too large for a queue message → 431 on a FIFO endpoint, nothing recorded', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: true })
		const res = await postJson(echo, { n: 1 }, hugeHeaders())
		expect(res.status).toBe(431)
		expect(res.headers.get('triggerflare-execution-id')).toBeNull()
		const body = (await res.json()) as { error: string }
		expect(body.error).toMatch(
			/^Request headers too large: \d+ bytes of headers and URL, at most \d+ can be carried\.$/,
		)
		expect(await executionsOf(echo)).toEqual([])
		// The lane is not blocked: the next request runs.
		const next = await postJson(echo, { n: 2 })
		expect(next.status).toBe(200)
		const { executionId } = (await next.json()) as { executionId: string }
		expect((await waitForStatus(executionId)).status).toBe('succeeded')
	})

	it('a synchronous caller with such headers gets the 431 at once, not a hang', async () => {
		const { echo } = await createExamples()
		const res = await postJson(
			echo,
			{ n: 1 },
			{ ...hugeHeaders(), 'triggerflare-synchronous': 'true' },
		)
		expect(res.status).toBe(431)
		expect(await executionsOf(echo)).toEqual([])
	})

	it('a large body with ordinary headers is still carried by reference (200, runs)', async () => {
		const { digest } = await createExamples()
		const res = await post(digest, new Uint8Array(300_000), {
			'content-type': 'application/octet-stream',
		})
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		expect((await waitForStatus(executionId)).status).toBe('succeeded')
	})
})

describe('a message the queue refuses for good', () => {
	it('ends its execution failed with the reason, at once', async () => {
		const { instance, echo } = await createExamples()
		const outcome = await acceptDirect(echo, instance.id, {
			headers: Object.entries(hugeHeaders()),
		})
		expect(outcome.kind).toBe('accepted')
		const id = (outcome as { executionId: string }).executionId
		const exec = await waitForStatus(id, ['failed'], 5_000)
		expect(exec.error).toMatch(/^The queue refused this execution's message: /)
		expect(exec.attempts).toBe(0)
	})

	it('does not block its FIFO lane: the next execution runs after it fails', async () => {
		const { instance, echo } = await createExamples()
		await patchEndpoint(echo, { fifo: true })
		const refused = await acceptDirect(echo, instance.id, {
			headers: Object.entries(hugeHeaders()),
		})
		const next = await postJson(echo, { n: 2 })
		const nextId = ((await next.json()) as { executionId: string }).executionId
		const failed = await waitForStatus((refused as { executionId: string }).executionId, ['failed'])
		expect(failed.error).toMatch(/^The queue refused/)
		expect((await waitForStatus(nextId)).status).toBe('succeeded')
		expect((await runInDurableObject(stubOf(echo), (d: EndpointDO) => d.stats())).pending).toBe(0)
	})

	it('answers a synchronous caller with the failure instead of leaving it waiting', async () => {
		const { instance, echo } = await createExamples()
		const outcome = await acceptDirect(echo, instance.id, {
			sync: true,
			headers: Object.entries(hugeHeaders()),
		})
		expect(outcome).toMatchObject({ kind: 'finished', status: 'failed' })
		expect((outcome as { error: string }).error).toMatch(/^The queue refused/)
	})
})

describe('no unfinished execution without an owner', () => {
	it('a queued execution whose message vanished is re-sent by the alarm and runs', async () => {
		const { echo } = await createExamples()
		const id = await acceptLost(echo, { lost: true })
		expect((await getExecution(id)).status).toBe('queued')
		await timePasses(echo)
		const exec = await waitForStatus(id)
		expect(exec).toMatchObject({ status: 'succeeded', attempts: 1 })
	})

	it('a message that is only late is left alone while the consumer delivers older ones', async () => {
		const { echo } = await createExamples()
		const late = await acceptLost(echo, { n: 1 })
		// A message sent at about the same time is delivered: the queue is working through
		// messages of that age, so the overdue one may still come.
		const res = await postJson(echo, { n: 2 })
		await waitForStatus(((await res.json()) as { executionId: string }).executionId)
		await timePasses(echo)
		expect(await getExecution(late)).toMatchObject({ status: 'queued', attempts: 0 })
		// Once messages sent well after it have been delivered, it is presumed lost.
		const { sequence } = await getExecution(late)
		await runInDurableObject(stubOf(echo), (_d, state) =>
			state.storage.sql.exec(
				'UPDATE executions SET received_at = received_at - 40000 WHERE seq = ?',
				sequence,
			),
		)
		await timePasses(echo)
		expect(await waitForStatus(late)).toMatchObject({ status: 'succeeded', attempts: 1 })
	})

	it('a retrying execution whose retry message vanished is re-sent and its attempts stay within policy', async () => {
		const { fail } = await createExamples()
		const res = await postJson(fail, { message: 'no' })
		const { executionId } = (await res.json()) as { executionId: string }
		await waitForStatus(executionId, ['retrying'], 5_000)
		// The queue loses the retry (and every later one): the alarm drives it to its end.
		for (let i = 0; i < 5; i++) {
			const exec = await getExecution(executionId)
			if (exec.status === 'failed') break
			await timePasses(fail)
			await new Promise((r) => setTimeout(r, 300))
		}
		const exec = await waitForStatus(executionId, ['failed'], 10_000)
		expect(exec.error).toBe('no')
		expect(exec.attempts).toBe(3)
	})

	it('a dead runner is taken over after its lease lapses, and the execution runs to its end', async () => {
		const { echo } = await createExamples()
		const id = await acceptLost(echo, { n: 1 })
		const { sequence } = await getExecution(id)
		// A runner started it and died without a word.
		await runInDurableObject(stubOf(echo), (d: EndpointDO) => d.start(sequence, 'dead-runner'))
		expect((await getExecution(id)).status).toBe('running')
		await timePasses(echo)
		expect(await waitForStatus(id)).toMatchObject({ status: 'succeeded', attempts: 2 })
	})

	it('a live runner renews its lease and is not taken over; after a take-over its renewals fail', async () => {
		const { echo } = await createExamples()
		const id = await acceptLost(echo, { n: 1 })
		const { sequence } = await getExecution(id)
		const stub = stubOf(echo)
		await runInDurableObject(stub, (d: EndpointDO) => d.start(sequence, 'slow-runner'))
		const leaseOf = () =>
			runInDurableObject(
				stub,
				(_d, state) =>
					state.storage.sql
						.exec<{ lease_until: number }>(
							'SELECT lease_until FROM executions WHERE seq = ?',
							sequence,
						)
						.one().lease_until,
			)
		const before = await leaseOf()
		await new Promise((r) => setTimeout(r, 20))
		expect(
			await runInDurableObject(stub, (d: EndpointDO) => d.renewLease(sequence, 'slow-runner')),
		).toBe(true)
		expect(await leaseOf()).toBeGreaterThan(before)
		// The alarm finds the renewed lease alive: nothing is re-sent.
		await runInDurableObject(stub, (_d, state) => state.storage.setAlarm(Date.now()))
		await runDurableObjectAlarm(stub)
		expect(await getExecution(id)).toMatchObject({ status: 'running', attempts: 1 })
		// Once the lease lapses, the execution is taken over and the old runner is told.
		await timePasses(echo)
		expect(
			await runInDurableObject(stub, (d: EndpointDO) => d.renewLease(sequence, 'slow-runner')),
		).toBe(false)
		expect(await waitForStatus(id)).toMatchObject({ status: 'succeeded', attempts: 2 })
	})

	it('is bounded: an execution re-driven REDRIVE_MAX times ends failed with the reason', async () => {
		const { echo } = await createExamples()
		const id = await acceptLost(echo, { n: 1 })
		await runInDurableObject(stubOf(echo), (_d, state) =>
			state.storage.sql.exec('UPDATE executions SET redrives = ?', REDRIVE_MAX),
		)
		await timePasses(echo)
		const exec = await getExecution(id)
		expect(exec.status).toBe('failed')
		expect(exec.error).toBe(
			`Execution abandoned: its queue message never reached a runner, and ${REDRIVE_MAX} re-sends did not get it run.`,
		)
	})

	it('a FIFO lane whose in-flight message vanished is re-driven, and the lane goes on in order', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { fifo: true })
		const first = await acceptLost(echo, { n: 1 })
		const res = await postJson(echo, { n: 2 })
		const second = ((await res.json()) as { executionId: string }).executionId
		expect((await getExecution(second)).status).toBe('queued')
		await timePasses(echo)
		const a = await waitForStatus(first)
		const b = await waitForStatus(second)
		expect(a.status).toBe('succeeded')
		expect(b.status).toBe('succeeded')
		expect(Date.parse(b.startedAt as string)).toBeGreaterThanOrEqual(
			Date.parse(a.finishedAt as string),
		)
	})
})

describe('a result that cannot be stored', () => {
	/** JSON nested deeper than JSON.stringify can follow (parsing it is fine). */
	const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`

	it('fails the attempt with a readable reason, retried per the flow policy, never beyond it', async () => {
		const { echo } = await createExamples()
		const res = await post(echo, deep, { 'content-type': 'application/json' })
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		const exec = await waitForStatus(executionId, ['failed'], 20_000)
		expect(exec.error).toMatch(/^Flow result could not be stored: /)
		expect(exec.attempts).toBe(3)
		expect(exec.attemptErrors).toHaveLength(3)
	}, 30_000)

	it('a synchronous caller gets the 400 with that reason', async () => {
		const { echo } = await createExamples()
		const res = await post(echo, deep, {
			'content-type': 'application/json',
			'triggerflare-synchronous': 'true',
		})
		expect(res.status).toBe(400)
		const body = (await res.json()) as { error: string }
		expect(body.error).toMatch(/^Flow result could not be stored: /)
		const id = res.headers.get('triggerflare-execution-id') as string
		expect(await getExecution(id)).toMatchObject({ status: 'failed', attempts: 1 })
	})
})
