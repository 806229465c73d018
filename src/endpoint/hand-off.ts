/**
 * The hand-off of recorded executions to the queue, without a write per request. A
 * non-FIFO execution needs no outbox entry of its own: its row is the outbox, with the
 * deadline it was recorded with. If this object dies before the queue has the message,
 * the execution is one more vanished message: the alarm re-sends it once that deadline
 * passes (`backstop.ts`), and a duplicate of one that did arrive is dropped by `start`.
 * @module
 */
import {
	type ExecutionMessage,
	envelopeOverheadBytes,
	type QueueMessage,
	type RequestEnvelope,
} from '../execution/message'
import { describe } from '../lib/errors'
import { executionIdFor } from '../lib/ids'
import { log } from '../lib/log'
import { pack } from './packing'
import { type BatchSink, SendBatcher, type SendResult } from './send-batcher'

/** The queue message of execution `seq`, recorded at `receivedAt`. */
export function executionMessage(
	endpointId: string,
	seq: number,
	request: RequestEnvelope,
	receivedAt: number,
): ExecutionMessage {
	return {
		v: 1,
		executionId: executionIdFor(endpointId, seq),
		endpointId,
		sequence: seq,
		request: { ...request, receivedAt },
	}
}

/** An upper bound of a message's serialized size. */
export const messageBytes = (m: ExecutionMessage): number =>
	envelopeOverheadBytes(m.request) +
	('inline' in m.request.body ? m.request.body.inline.byteLength : 0)

/**
 * The queue as the batcher's sink, behind the test-only fault switch. `packed`: a batch's
 * messages travel packed several to a queue message (non-FIFO executions only: a FIFO
 * lane's message carries its chain, see lanes.ts).
 */
function queueSink(
	queue: Queue<QueueMessage>,
	faults: { queueSend?: boolean },
	packed: boolean,
): BatchSink<ExecutionMessage> {
	return {
		send: async (m) => {
			if (faults.queueSend) throw new Error('injected queue fault')
			await queue.send(m, { contentType: 'v8' })
		},
		sendBatch: async (ms) => {
			if (faults.queueSend) throw new Error('injected queue fault')
			const bodies: QueueMessage[] = packed ? pack(ms, messageBytes) : ms
			await queue.sendBatch(bodies.map((body) => ({ body, contentType: 'v8' as const })))
		},
	}
}

export interface HandOffDeps {
	queue: Queue<QueueMessage>
	/** The test-only switch that makes every send fail (see EndpointFaults). */
	faults: { queueSend?: boolean }
	/** A non-FIFO message the queue refused: fail it or keep it for a re-send. */
	refused: (seq: number, error: unknown, message: ExecutionMessage) => Promise<void>
}

export class QueueHandOff {
	/** Non-FIFO executions whose queue send has not returned yet: not overdue, only slow. */
	#sending = new Set<number>()
	#batcher: SendBatcher<ExecutionMessage>
	/** Non-FIFO hand-offs: what queues up behind a send goes out packed. */
	#packing: SendBatcher<ExecutionMessage>

	constructor(private readonly deps: HandOffDeps) {
		const sink = queueSink(deps.queue, deps.faults, false)
		const packingSink = queueSink(deps.queue, deps.faults, true)
		this.#batcher = new SendBatcher(() => sink, messageBytes)
		this.#packing = new SendBatcher(() => packingSink, messageBytes)
	}

	/** Until its send returns, the backstop leaves `seq` alone (see `deliver`). */
	track(seq: number): void {
		this.#sending.add(seq)
	}

	isSending(seq: number): boolean {
		return this.#sending.has(seq)
	}

	/**
	 * Sends a recorded non-FIFO execution, packed with others queued behind a send. One
	 * the queue refuses goes to `refused`: refused for good, the execution ends `failed`
	 * with the queue's reason; otherwise the row's deadline moves to the next try, for the
	 * alarm. If this object dies first, the alarm finds its row past the deadline it was
	 * recorded with instead.
	 */
	async deliver(seq: number, message: ExecutionMessage): Promise<void> {
		try {
			const sent = await this.#through(this.#packing, message)
			if (!sent.ok) await this.deps.refused(seq, sent.error, message)
		} finally {
			this.#sending.delete(seq)
		}
	}

	/** Sends any message (FIFO ones too), batched with others in flight; logs a refusal. */
	send(message: ExecutionMessage): Promise<SendResult> {
		return this.#through(this.#batcher, message)
	}

	async #through(
		batcher: SendBatcher<ExecutionMessage>,
		message: ExecutionMessage,
	): Promise<SendResult> {
		const sent = await batcher.send(message)
		if (!sent.ok)
			log('warn', 'queue send failed', {
				executionId: message.executionId,
				error: describe(sent.error),
			})
		return sent
	}
}
