/**
 * The queue consumer: runs each accepted request's flow and reports back to its
 * EndpointDO. Messages are acked or retried explicitly, one by one; nothing is acked in
 * a catch block, so an unexpected failure retries instead of losing the delivery.
 * @module
 */
import type {
	ChainedExecution,
	CompletionOutcome,
	CompletionReport,
	EndpointApi,
	StartedExecution,
	StartOutcome,
} from '../endpoint/api'
import { lastOfChain } from '../endpoint/lanes'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { handleLifecycle } from '../integrations/lifecycle'
import { flowOf } from '../integrations/resolve'
import { describe } from '../lib/errors'
import { log } from '../lib/log'
import { LEASE_RENEW_EVERY_MS } from '../limits'
import { buildPayload } from '../trigger/payload'
import { requestBodyBytes } from './archive'
import { consumerFaults, nextBatchIndex } from './faults'
import {
	type ExecutionMessage,
	isLifecycle,
	type LifecycleMessage,
	type PackedMessage,
	type QueueMessage,
} from './message'
import { storeResult, UnstorableResultError } from './result-store'
import { resolvePolicy, retryDelaySeconds } from './retry-policy'
import { runFlow } from './run-flow'
import { startAll, unpack } from './unpack'

export const DLQ_SUFFIX = '-dlq'

export async function handleBatch(batch: MessageBatch<QueueMessage>, env: Env): Promise<void> {
	const lifecycle = batch.messages.filter((m): m is Message<LifecycleMessage> =>
		isLifecycle(m.body),
	)
	const executions = batch.messages.flatMap((m) =>
		isLifecycle(m.body) ? [] : unpack(m as Message<ExecutionMessage | PackedMessage>),
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
	const kept = executions.filter((m) => {
		if (!consumerFaults.vanish?.(m.body.executionId)) return true
		m.ack()
		return false
	})
	const starts = startAll(env, kept)
	await Promise.all(kept.map((m, i) => handleMessage(m, env, starts[i])))
}

const failure = (error: string): CompletionReport => ({
	status: 'failed',
	error,
	steps: [],
	logs: [],
})

/** How one attempt ended, for whoever holds it (a queue delivery or a chain). */
type Disposition =
	/** Reported terminal (or not run): `next` is the lane's successor, when chained. */
	| { kind: 'done'; next: ChainedExecution | null }
	/** Reported `retrying`: the attempt after it must come through the queue. */
	| { kind: 'retry'; delaySeconds: number }
	/** The report was dropped by an injected fault: nothing more may happen. */
	| { kind: 'lost' }

const done = (outcome: CompletionOutcome): Disposition => ({
	kind: 'done',
	next: outcome.next ?? null,
})

/** `started`: its start, already asked for with the rest of its batch (see `startAll`). */
export async function handleMessage(
	message: Message<ExecutionMessage>,
	env: Env,
	started?: Promise<StartOutcome>,
): Promise<void> {
	const { endpointId, sequence, executionId } = message.body
	const startedAt = Date.now()
	let next: ChainedExecution | null = null
	if (!started && consumerFaults.vanish?.(executionId)) {
		message.ack()
		return
	}
	try {
		if (consumerFaults.duplicate?.(executionId)) {
			await env.EXECUTIONS.send(message.body, { contentType: 'v8' })
		}
		const stub = endpointStub(env, endpointId)
		const start = await (started ?? stub.start(sequence, message.id))
		if (!start.run) {
			// finished (never run twice), busy (a duplicate of a live delivery), unknown, or
			// held (the DO sends it when its FIFO lane is free). A finished one may come back
			// as `resume`, with the lane execution this message's earlier delivery left
			// mid-chain.
			if (start.reason === 'resume') next = start.chained
			else {
				message.ack()
				return
			}
		} else {
			const disposition = await runExecution(env, stub, message.body, start, {
				holder: message.id,
			})
			if (disposition.kind === 'retry') {
				message.retry({ delaySeconds: disposition.delaySeconds })
				return
			}
			if (disposition.kind === 'done') next = disposition.next
		}
	} catch (err) {
		// Infrastructure trouble (R2, the DO): retry the delivery, never drop it.
		logFailure('consumer: attempt could not complete', executionId, err)
		message.retry({ delaySeconds: retryDelay(message) })
		return
	}
	// The message is acked only once its chain is over: if this consumer fails mid-chain,
	// the queue redelivers it, and the redelivery resumes the chain where it stopped.
	if (next && !(await runChain(env, endpointId, next, message.id, startedAt))) {
		message.retry({ delaySeconds: retryDelay(message) })
		return
	}
	message.ack()
}

const retryDelay = (message: Message<unknown>): number =>
	Math.min(60, 2 ** Math.min(message.attempts, 6))

/**
 * Runs a FIFO lane's executions one after another, each handed over by the DO as its
 * predecessor completed. The last one within the cap completes without asking for more,
 * so the DO releases the lane through the queue again. False when an attempt could not
 * complete (it stays leased to this chain, for the redelivery to resume).
 */
async function runChain(
	env: Env,
	endpointId: string,
	first: ChainedExecution,
	holder: string,
	startedAt: number,
): Promise<boolean> {
	const stub = endpointStub(env, endpointId)
	let current: ChainedExecution | null = first
	// The queue delivery that started the chain was the first execution.
	for (let ran = 1; current; ran++) {
		const { message, start } = current
		current = null
		const last = lastOfChain(ran, startedAt, Date.now())
		// Outside the try: a throwing hook stands for a consumer that dies right here.
		consumerFaults.onChained?.(message.executionId)
		try {
			if (consumerFaults.duplicate?.(message.executionId)) {
				await env.EXECUTIONS.send(message, { contentType: 'v8' })
			}
			const disposition = await runExecution(
				env,
				stub,
				message,
				start,
				last ? undefined : { holder },
			)
			if (disposition.kind === 'done') current = disposition.next
			else if (disposition.kind === 'retry') await requeue(env, message, disposition.delaySeconds)
		} catch (err) {
			logFailure('consumer: chained attempt could not complete', message.executionId, err)
			return false
		}
	}
	return true
}

/** A chained execution has no queue message to retry: its next attempt gets one. */
async function requeue(env: Env, message: ExecutionMessage, delaySeconds: number): Promise<void> {
	try {
		await env.EXECUTIONS.send(message, { contentType: 'v8', delaySeconds })
	} catch (err) {
		// The `retrying` report set the lane's deadline: the DO alarm re-drives it.
		logFailure('consumer: chained retry could not be queued', message.executionId, err)
	}
}

/**
 * Runs one attempt that the DO has started for us and reports its outcome. Throws on
 * infrastructure trouble, leaving the execution leased, never half-reported.
 */
async function runExecution(
	env: Env,
	stub: EndpointApi,
	body: ExecutionMessage,
	start: StartedExecution,
	chain: { holder: string } | undefined,
): Promise<Disposition> {
	const { endpointId, sequence, request, executionId } = body
	const flow = flowOf(start)
	if (!flow) {
		return done(
			await stub.complete(
				sequence,
				failure(`Unknown flow: ${start.integration}/${start.flow}`),
				chain,
			),
		)
	}
	const policy = resolvePolicy(start.sync ? { attempts: 1 } : flow.retry)
	if (start.attempt > policy.attempts) {
		// Redeliveries after crashes count as attempts too; past the policy, stop, and take
		// back the attempt `start` counted: this one never ran.
		return done(
			await stub.complete(
				sequence,
				{ ...failure('Retry attempts exhausted.'), uncounted: true },
				chain,
			),
		)
	}
	const bytes = await requestBodyBytes(env, request)
	if (!bytes) {
		return done(
			await stub.complete(sequence, failure('Request body is no longer available.'), chain),
		)
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
		return done(
			await stub.complete(sequence, failure('Stored request body could not be parsed.'), chain),
		)
	}

	// The lease is renewed while the flow runs and its result is stored, so a long flow
	// is not taken for dead; a short one makes no renewal call at all.
	const ran = await whileLeased(stub, sequence, start.leaseHolder, async () => {
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
		if (!outcome.ok) return outcome
		try {
			// Small results, synchronous ones included, travel back in the completion report
			// and live in the execution row: an R2 write is the costliest call a webhook
			// could make ($4.50 per million).
			const stored = await storeResult(env, executionId, start.resultToken, outcome.result)
			return { ...outcome, stored }
		} catch (err) {
			// R2 trouble is ours (the throw retries the delivery); a result that cannot be
			// written down is the flow's: the attempt fails with that reason.
			if (!(err instanceof UnstorableResultError)) throw err
			return { ok: false as const, error: err.message, steps: outcome.steps, logs: outcome.logs }
		}
	})

	if (ran.ok) {
		if (consumerFaults.loseCompletion?.(executionId)) return { kind: 'lost' }
		return done(
			await stub.complete(
				sequence,
				{ status: 'succeeded', steps: ran.steps, logs: ran.logs, result: ran.stored },
				chain,
			),
		)
	}
	const report = {
		error: ran.error,
		steps: ran.steps,
		logs: ran.logs,
	}
	if (start.attempt < policy.attempts) {
		const delaySeconds = retryDelaySeconds(policy, start.attempt)
		await stub.complete(sequence, { status: 'retrying', retryInSeconds: delaySeconds, ...report })
		return { kind: 'retry', delaySeconds }
	}
	return done(await stub.complete(sequence, { status: 'failed', ...report }, chain))
}

/**
 * Runs `work` while renewing the execution's lease every LEASE_RENEW_EVERY_MS. A renewal
 * that fails is only logged: the worst case is a take-over, which at-least-once allows.
 */
async function whileLeased<T>(
	stub: EndpointApi,
	sequence: number,
	holder: string,
	work: () => Promise<T>,
): Promise<T> {
	const timer = setInterval(() => {
		stub.renewLease(sequence, holder).catch((err: unknown) => {
			log('error', 'consumer: lease renewal failed', { sequence, holder, error: describe(err) })
		})
	}, LEASE_RENEW_EVERY_MS)
	try {
		return await work()
	} finally {
		clearInterval(timer)
	}
}

function logFailure(msg: string, executionId: string, err: unknown): void {
	log('error', msg, { executionId, error: describe(err) })
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
		logFailure('dlq: could not record failure', executionId, err)
		message.retry({ delaySeconds: 30 })
	}
}
