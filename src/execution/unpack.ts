/**
 * A consumer batch as the executions it carries: packs unpacked into messages of their
 * own, and each endpoint asked once to start its executions of the batch.
 * @module
 */
import type { StartOutcome } from '../endpoint/api'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { type ExecutionMessage, isPack, type PackedMessage } from './message'

/**
 * A queue message as the executions it carries. A pack's executions are handled as
 * messages of their own; the pack is acked once every one is, or retried (after the
 * longest delay asked for) if any asks for a retry: on redelivery, those that finished
 * are dropped by `start`, and the others take their next attempt.
 */
export function unpack(
	message: Message<ExecutionMessage | PackedMessage>,
): Message<ExecutionMessage>[] {
	const { body } = message
	if (!isPack(body)) return [message as Message<ExecutionMessage>]
	let open = body.executions.length
	let retryIn: number | null = null
	const settle = () => {
		open--
		if (open > 0) return
		if (retryIn === null) message.ack()
		else message.retry({ delaySeconds: retryIn })
	}
	return body.executions.map((execution) => {
		let settled = false
		const once = (f: () => void) => () => {
			if (settled) return
			settled = true
			f()
			settle()
		}
		return {
			id: message.id,
			timestamp: message.timestamp,
			attempts: message.attempts,
			body: execution,
			ack: once(() => undefined),
			retry: (options?: QueueRetryOptions) =>
				once(() => {
					retryIn = Math.max(retryIn ?? 0, options?.delaySeconds ?? 0)
				})(),
		}
	})
}

/**
 * Asks each endpoint once per batch to start its executions (a DO request each is
 * billed, and a batch often holds several of one endpoint). A failed call fails the
 * start of each of its messages, which are then retried.
 */
export function startAll(
	env: Env,
	messages: readonly Message<ExecutionMessage>[],
): Promise<StartOutcome>[] {
	const groups = new Map<string, number[]>()
	messages.forEach((m, i) => {
		const group = groups.get(m.body.endpointId)
		if (group) group.push(i)
		else groups.set(m.body.endpointId, [i])
	})
	const starts: Promise<StartOutcome>[] = []
	for (const [endpointId, indexes] of groups) {
		const deliveries = indexes.map((i) => {
			const m = messages[i] as Message<ExecutionMessage>
			return { seq: m.body.sequence, messageId: m.id }
		})
		const outcomes = endpointStub(env, endpointId).startMany(deliveries)
		indexes.forEach((i, k) => {
			starts[i] = outcomes.then((all) => all[k] as StartOutcome)
		})
	}
	return starts
}
