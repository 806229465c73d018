/**
 * The queue consumer: runs each accepted request's flow and reports back to its
 * EndpointDO. Messages are acked or retried explicitly, one by one; nothing is acked in
 * a catch block, so an unexpected failure retries instead of losing the delivery.
 * @module
 */
import type { CompletionReport } from '../endpoint/endpoint-do'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { getFlow } from '../integrations/registry'
import { describe } from '../lib/errors'
import { buildPayload } from '../trigger/payload'
import type { ExecutionMessage, RequestEnvelope } from './message'
import { storeResult } from './result-store'
import { resolvePolicy, retryDelaySeconds } from './retry-policy'
import { runFlow } from './run-flow'

export const DLQ_SUFFIX = '-dlq'

export async function handleBatch(batch: MessageBatch<ExecutionMessage>, env: Env): Promise<void> {
	if (batch.queue.endsWith(DLQ_SUFFIX)) {
		await Promise.all(batch.messages.map((m) => handleDeadLetter(m, env)))
		return
	}
	await Promise.all(batch.messages.map((m) => handleMessage(m, env)))
}

async function loadBody(env: Env, request: RequestEnvelope): Promise<Uint8Array | null> {
	if ('inline' in request.body) return request.body.inline
	const obj = await env.STORE.get(request.body.r2Key)
	return obj ? new Uint8Array(await obj.arrayBuffer()) : null
}

const failure = (error: string): CompletionReport => ({
	status: 'failed',
	error,
	steps: [],
	logs: [],
})

export async function handleMessage(message: Message<ExecutionMessage>, env: Env): Promise<void> {
	const { endpointId, sequence, request } = message.body
	try {
		const stub = endpointStub(env, endpointId)
		const start = await stub.start(sequence, message.attempts)
		if (!start.run) {
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

		const bytes = await loadBody(env, request)
		if (!bytes) {
			await stub.complete(sequence, failure('Request body is no longer available.'))
			message.ack()
			return
		}
		const built = buildPayload(request, bytes, {
			executionId: start.executionId,
			endpointId,
			instanceId: start.instance.id,
			flow: start.flow,
			sequence,
			webhookUrls: start.instance.webhookUrls,
			webhookApiKeys: start.instance.webhookApiKeys,
		})
		if (!built.ok) {
			await stub.complete(sequence, failure('Stored request body could not be parsed.'))
			message.ack()
			return
		}

		const outcome = await runFlow(
			flow,
			{
				executionId: start.executionId,
				attempt: start.attempt,
				instance: { id: start.instance.id, name: start.instance.name },
				config: start.instance.config,
				webhookUrls: start.instance.webhookUrls,
			},
			built.payload,
		)

		if (outcome.ok) {
			const stored = await storeResult(env, start.executionId, start.resultToken, outcome.result)
			await stub.complete(sequence, {
				status: 'succeeded',
				steps: outcome.steps,
				logs: outcome.logs,
				result: stored,
			})
			message.ack()
			return
		}
		const report = { error: outcome.error, steps: outcome.steps, logs: outcome.logs }
		if (start.attempt < policy.attempts) {
			await stub.complete(sequence, { status: 'retrying', ...report })
			message.retry({ delaySeconds: retryDelaySeconds(policy, start.attempt) })
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
				executionId: message.body.executionId,
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
	try {
		await endpointStub(env, message.body.endpointId).complete(
			message.body.sequence,
			failure('Delivery attempts exhausted (dead-lettered).'),
		)
		message.ack()
	} catch (err) {
		console.error(
			JSON.stringify({
				level: 'error',
				msg: 'dlq: could not record failure',
				executionId: message.body.executionId,
				error: describe(err),
			}),
		)
		message.retry({ delaySeconds: 30 })
	}
}
