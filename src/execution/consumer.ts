/**
 * The queue consumer: runs each accepted request's flow and reports back to its
 * EndpointDO. Messages are acked or retried explicitly, one by one; nothing is acked in
 * a catch block, so an unexpected failure retries instead of losing the delivery.
 * @module
 */
import type { CompletionReport } from '../endpoint/endpoint-do'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { handleLifecycle } from '../integrations/lifecycle'
import { getFlow } from '../integrations/registry'
import { describe } from '../lib/errors'
import { buildPayload } from '../trigger/payload'
import { requestBodyBytes } from './archive'
import { consumerFaults, nextBatchIndex } from './faults'
import {
	type ExecutionMessage,
	isLifecycle,
	type LifecycleMessage,
	type QueueMessage,
} from './message'
import { storeResult } from './result-store'
import { resolvePolicy, retryDelaySeconds } from './retry-policy'
import { runFlow } from './run-flow'

export const DLQ_SUFFIX = '-dlq'

export async function handleBatch(batch: MessageBatch<QueueMessage>, env: Env): Promise<void> {
	const lifecycle = batch.messages.filter((m): m is Message<LifecycleMessage> =>
		isLifecycle(m.body),
	)
	const executions = batch.messages.filter(
		(m): m is Message<ExecutionMessage> => !isLifecycle(m.body),
	)
	if (batch.queue.endsWith(DLQ_SUFFIX)) {
		await Promise.all([
			...executions.map((m) => handleDeadLetter(m, env)),
			// A lifecycle hook that keeps crashing the consumer is given up on.
			...lifecycle.map((m) => m.ack()),
		])
		return
	}
	await Promise.all(lifecycle.map((m) => handleLifecycle(m, env)))
	const index = nextBatchIndex()
	if (consumerFaults.crashBatch?.(index)) {
		const survivors = executions.slice(0, consumerFaults.crashAfter ?? 0)
		for (const m of survivors) await handleMessage(m, env)
		throw new Error('injected consumer crash')
	}
	await Promise.all(executions.map((m) => handleMessage(m, env)))
}

const failure = (error: string): CompletionReport => ({
	status: 'failed',
	error,
	steps: [],
	logs: [],
})

export async function handleMessage(message: Message<ExecutionMessage>, env: Env): Promise<void> {
	const { endpointId, sequence, request, executionId } = message.body
	try {
		if (consumerFaults.duplicate?.(executionId)) {
			await env.EXECUTIONS.send(message.body, { contentType: 'v8' })
		}
		const stub = endpointStub(env, endpointId)
		const start = await stub.start(sequence, message.id)
		if (!start.run) {
			// finished (never run twice), busy (a duplicate of a live delivery), unknown, or
			// held (the DO sends it when its FIFO lane is free).
			message.ack()
			return
		}
		const flow = getFlow(start.integration, start.flow)
		if (!flow) {
			await stub.complete(sequence, failure(`Unknown flow: ${start.integration}/${start.flow}`))
			message.ack()
			return
		}
		const policy = resolvePolicy(start.sync ? { attempts: 1 } : flow.retry)
		if (start.attempt > policy.attempts) {
			// Redeliveries after crashes count as attempts too; past the policy, stop.
			await stub.complete(sequence, failure('Retry attempts exhausted.'))
			message.ack()
			return
		}
		const bytes = await requestBodyBytes(env, request)
		if (!bytes) {
			await stub.complete(sequence, failure('Request body is no longer available.'))
			message.ack()
			return
		}
		const built = buildPayload(request, bytes, {
			executionId,
			endpointId,
			instanceId: start.instance.id,
			flow: start.flow,
			sequence,
			webhookUrls: start.instance.webhookUrls,
			webhookApiKeys: start.instance.webhookApiKeys,
			...(start.invokeUrl ? { invokeUrl: start.invokeUrl } : {}),
		})
		if (!built.ok) {
			await stub.complete(sequence, failure('Stored request body could not be parsed.'))
			message.ack()
			return
		}

		const outcome = await runFlow(
			flow,
			{
				executionId,
				attempt: start.attempt,
				instance: { id: start.instance.id, name: start.instance.name },
				config: start.instance.config,
				webhookUrls: start.instance.webhookUrls,
				instanceState: start.instance.state,
			},
			built.payload,
		)

		if (outcome.ok) {
			// A synchronous caller is redirected to the result at once: that one goes to R2.
			const stored = await storeResult(
				env,
				executionId,
				start.resultToken,
				outcome.result,
				!start.sync,
			)
			if (consumerFaults.loseCompletion?.(executionId)) {
				message.ack()
				return
			}
			await stub.complete(sequence, {
				status: 'succeeded',
				steps: outcome.steps,
				logs: outcome.logs,
				result: stored,
			})
			message.ack()
			return
		}
		const report = {
			error: outcome.error,
			steps: outcome.steps,
			logs: outcome.logs,
		}
		if (start.attempt < policy.attempts) {
			const delaySeconds = retryDelaySeconds(policy, start.attempt)
			await stub.complete(sequence, { status: 'retrying', retryInSeconds: delaySeconds, ...report })
			message.retry({ delaySeconds })
		} else {
			await stub.complete(sequence, { status: 'failed', ...report })
			message.ack()
		}
	} catch (err) {
		// Infrastructure trouble (R2, the DO): retry the delivery, never drop it.
		console.error(
			JSON.stringify({
				level: 'error',
				msg: 'consumer: attempt could not complete',
				executionId,
				error: describe(err),
			}),
		)
		message.retry({ delaySeconds: Math.min(60, 2 ** Math.min(message.attempts, 6)) })
	}
}

/** A message that exhausted the queue's own retries: record the execution as failed. */
export async function handleDeadLetter(
	message: Message<ExecutionMessage>,
	env: Env,
): Promise<void> {
	const { executionId, endpointId, sequence } = message.body
	try {
		await endpointStub(env, endpointId).deadLetter(
			sequence,
			message.id,
			failure('Delivery attempts exhausted (dead-lettered).'),
		)
		message.ack()
	} catch (err) {
		console.error(
			JSON.stringify({
				level: 'error',
				msg: 'dlq: could not record failure',
				executionId,
				error: describe(err),
			}),
		)
		message.retry({ delaySeconds: 30 })
	}
}
