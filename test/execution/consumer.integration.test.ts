/**
 * The queue consumer on the real queue: retries, final failure, dead letters, and
 * at-least-once redelivery of finished executions.
 */

import {
	createExecutionContext,
	createMessageBatch,
	getQueueResult,
	runDurableObjectAlarm,
	runInDurableObject,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { EndpointDO } from '../../src/endpoint/endpoint-do'
import type { ExecutionMessage, PackedMessage, QueueMessage } from '../../src/execution/message'
import worker from '../../src/index'
import { createExamples, getExecution, postJson, waitForStatus } from '../helpers'

function messageFor(
	executionId: string,
	endpointId: string,
	sequence: number,
	body: unknown,
): ExecutionMessage {
	return {
		v: 1,
		executionId,
		endpointId,
		sequence,
		request: {
			method: 'POST',
			url: `https://gateway.test/trigger/${endpointId}`,
			pathFragment: '',
			headers: [['content-type', 'application/json']],
			contentType: 'application/json',
			body: { inline: new TextEncoder().encode(JSON.stringify(body)) },
			receivedAt: Date.now(),
		},
	}
}

async function deliver(
	queue: string,
	message: ExecutionMessage,
	attempts = 1,
	id: string = crypto.randomUUID(),
) {
	const batch = createMessageBatch<ExecutionMessage>(queue, [
		{ id, timestamp: new Date(), attempts, body: message },
	])
	const ctx = createExecutionContext()
	await worker.queue(batch, env, ctx)
	return getQueueResult(batch, ctx)
}

/**
 * Accepts a request whose queue message is held back (injected send fault, alarm
 * cleared), so the test alone delivers it: no race with the real consumer.
 */
async function acceptHeld(endpointId: string, body: unknown) {
	const stub = env.ENDPOINT.getByName(endpointId)
	const setFault = (on: boolean) =>
		runInDurableObject(stub, async (i: { faults: { queueSend?: boolean } }, state) => {
			i.faults.queueSend = on
			if (!on) await state.storage.deleteAlarm()
		})
	await setFault(true)
	const res = await postJson(endpointId, body)
	await setFault(false)
	const { executionId } = (await res.json()) as { executionId: string }
	const { sequence } = await getExecution(executionId)
	return { executionId, sequence, message: messageFor(executionId, endpointId, sequence, body) }
}

describe('retries', () => {
	it('retries a throwing flow per the default policy (3 attempts), then records it failed with each error', async () => {
		const { fail } = await createExamples()
		const res = await postJson(fail, { message: 'upstream said no' })
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		const retrying = await waitForStatus(executionId, ['retrying'], 5_000)
		expect(retrying.attempts).toBe(1)
		const exec = await waitForStatus(executionId, ['failed'], 20_000)
		expect(exec.attempts).toBe(3)
		expect(exec.error).toBe('upstream said no')
		expect(exec.attemptErrors.map((e) => e.attempt)).toEqual([1, 2, 3])
		expect(exec.attemptErrors.every((e) => e.error === 'upstream said no')).toBe(true)
	}, 30_000)

	it('asks the queue to retry each failed attempt, then acks the final failure', async () => {
		const { fail } = await createExamples()
		const { executionId, message } = await acceptHeld(fail, { message: 'x' })
		const first = await deliver('triggerflare-executions', message, 1)
		expect(first.explicitAcks).toHaveLength(0)
		expect(first.retryMessages).toHaveLength(1)
		// (getQueueResult does not report the delay; the delays themselves are covered by
		// retry-policy.test.ts.)
		expect((await getExecution(executionId)).status).toBe('retrying')
		const second = await deliver('triggerflare-executions', message, 2)
		expect(second.retryMessages).toHaveLength(1)
		expect(await getExecution(executionId)).toMatchObject({ status: 'retrying', attempts: 2 })
		const third = await deliver('triggerflare-executions', message, 3)
		expect(third.explicitAcks).toHaveLength(1)
		expect(third.retryMessages).toHaveLength(0)
		expect(await getExecution(executionId)).toMatchObject({ status: 'failed', attempts: 3 })
	})
})

describe('at-least-once delivery', () => {
	it('a redelivered message of a finished execution is acked and does not run again', async () => {
		const { echo } = await createExamples()
		const { executionId } = (await (await postJson(echo, { once: true })).json()) as {
			executionId: string
		}
		const done = await waitForStatus(executionId)
		expect(done.status).toBe('succeeded')
		const result = await deliver(
			'triggerflare-executions',
			messageFor(executionId, echo, done.sequence, { once: true }),
			1,
		)
		expect(result.explicitAcks).toHaveLength(1)
		expect(result.retryMessages).toHaveLength(0)
		const after = await getExecution(executionId)
		expect(after.attempts).toBe(done.attempts)
		expect(after.status).toBe('succeeded')
	})

	it('a message for an execution nobody recorded is acked, not retried forever', async () => {
		const { echo } = await createExamples()
		const result = await deliver(
			'triggerflare-executions',
			messageFor(`${echo}-999`, echo, 999, {}),
		)
		expect(result.explicitAcks).toHaveLength(1)
	})

	it('a crash loop (attempts started but never reported) ends failed once past the policy', async () => {
		const { echo } = await createExamples()
		const { executionId, message } = await acceptHeld(echo, {})
		const stub = env.ENDPOINT.getByName(echo)
		// The same message, delivered and crashed three times.
		for (let i = 1; i <= 3; i++) {
			await runInDurableObject(stub, (d: EndpointDO) => d.start(message.sequence, 'crashing'))
		}
		expect(await getExecution(executionId)).toMatchObject({ status: 'running', attempts: 3 })
		const result = await deliver('triggerflare-executions', message, 4, 'crashing')
		expect(result.explicitAcks).toHaveLength(1)
		// The fourth start ran nothing: recorded attempts stay within the policy's three.
		expect(await getExecution(executionId)).toMatchObject({
			status: 'failed',
			error: 'Retry attempts exhausted.',
			attempts: 3,
		})
	})

	it('a crashed attempt (left running) runs again on redelivery and finishes', async () => {
		const { echo } = await createExamples()
		const { executionId, message } = await acceptHeld(echo, { again: 1 })
		// The first consumer marked it running and then died without reporting.
		await runInDurableObject(env.ENDPOINT.getByName(echo), (d: EndpointDO) =>
			d.start(message.sequence, 'the-crashed-delivery'),
		)
		expect((await getExecution(executionId)).status).toBe('running')
		// A duplicate (another message id) must not run it while the lease is held; it is
		// dropped, since the holder's own message is still in the queue.
		const duplicate = await deliver('triggerflare-executions', message, 1)
		expect(duplicate.explicitAcks).toHaveLength(1)
		expect(await getExecution(executionId)).toMatchObject({ status: 'running', attempts: 1 })
		// The queue's redelivery of the crashed message itself takes over at once.
		const result = await deliver('triggerflare-executions', message, 2, 'the-crashed-delivery')
		expect(result.explicitAcks).toHaveLength(1)
		expect(await getExecution(executionId)).toMatchObject({ status: 'succeeded', attempts: 2 })
	})

	it('an execution whose delivery vanished is taken over by the alarm after its lease, and runs', async () => {
		const { echo } = await createExamples()
		const { executionId, message } = await acceptHeld(echo, {})
		const stub = env.ENDPOINT.getByName(echo)
		await runInDurableObject(stub, (d: EndpointDO) => d.start(message.sequence, 'vanished'))
		await runInDurableObject(stub, async (d: EndpointDO, state) => {
			d.leases.lapse()
			state.storage.sql.exec('UPDATE executions SET lease_until = 0')
			await state.storage.setAlarm(Date.now())
		})
		expect(await runDurableObjectAlarm(stub)).toBe(true)
		expect(await waitForStatus(executionId)).toMatchObject({ status: 'succeeded', attempts: 2 })
	})
})

describe('dead-letter queue', () => {
	it('marks the execution failed and keeps it readable', async () => {
		const { echo } = await createExamples()
		const { executionId, message } = await acceptHeld(echo, {})
		const result = await deliver('triggerflare-executions-dlq', message, 11)
		expect(result.explicitAcks).toHaveLength(1)
		const exec = await getExecution(executionId)
		expect(exec.status).toBe('failed')
		expect(exec.error).toBe('Delivery attempts exhausted (dead-lettered).')
	})

	it('a dead-lettered duplicate does not fail an execution another delivery is running', async () => {
		const { echo } = await createExamples()
		const { executionId, message } = await acceptHeld(echo, {})
		const stub = env.ENDPOINT.getByName(echo)
		await runInDurableObject(stub, (d: EndpointDO) => d.start(message.sequence, 'live-delivery'))
		const result = await deliver('triggerflare-executions-dlq', message, 11, 'dead-duplicate')
		expect(result.explicitAcks).toHaveLength(1)
		expect((await getExecution(executionId)).status).toBe('running')
		await runInDurableObject(stub, (_d, state) => state.storage.deleteAlarm())
	})
})

describe('packed messages (several executions in one queue message)', () => {
	async function deliverPack(
		executions: ExecutionMessage[],
		attempts = 1,
		id = crypto.randomUUID(),
	) {
		const body: PackedMessage = { v: 1, kind: 'pack', executions }
		const batch = createMessageBatch<PackedMessage>('triggerflare-executions', [
			{ id, timestamp: new Date(), attempts, body },
		])
		const ctx = createExecutionContext()
		await worker.queue(batch as unknown as MessageBatch<QueueMessage>, env, ctx)
		return getQueueResult(batch, ctx)
	}

	it('runs every execution of a pack, and acks the pack once they all finished', async () => {
		const { echo } = await createExamples()
		const a = await acceptHeld(echo, { n: 1 })
		const b = await acceptHeld(echo, { n: 2 })
		const result = await deliverPack([a.message, b.message])
		expect(result.explicitAcks).toHaveLength(1)
		expect(result.retryMessages).toHaveLength(0)
		for (const { executionId } of [a, b])
			expect(await getExecution(executionId)).toMatchObject({ status: 'succeeded', attempts: 1 })
	})

	it('retries the pack when one execution asks for a retry; on redelivery only that one runs again', async () => {
		const { echo, fail } = await createExamples()
		const ok = await acceptHeld(echo, { n: 1 })
		const failing = await acceptHeld(fail, { message: 'no' })
		const id = crypto.randomUUID()
		const first = await deliverPack([ok.message, failing.message], 1, id)
		expect(first.explicitAcks).toHaveLength(0)
		expect(first.retryMessages).toHaveLength(1)
		expect(await getExecution(ok.executionId)).toMatchObject({ status: 'succeeded', attempts: 1 })
		expect((await getExecution(failing.executionId)).status).toBe('retrying')
		const second = await deliverPack([ok.message, failing.message], 2, id)
		expect(second.retryMessages).toHaveLength(1)
		// The finished one did not run again; the failing one took its second attempt.
		expect(await getExecution(ok.executionId)).toMatchObject({ status: 'succeeded', attempts: 1 })
		expect(await getExecution(failing.executionId)).toMatchObject({
			status: 'retrying',
			attempts: 2,
		})
		const third = await deliverPack([ok.message, failing.message], 3, id)
		expect(third.explicitAcks).toHaveLength(1)
		expect(await getExecution(failing.executionId)).toMatchObject({ status: 'failed', attempts: 3 })
	})
})
