/**
 * The hand-off of recorded executions to the queue, and the sent watermark that makes it
 * survive a restart without a write per request. A non-FIFO execution needs no outbox
 * entry of its own: while it is `queued` past the watermark, its row is the outbox. The
 * watermark only moves past an execution once its send returned (accepted, or refused and
 * kept for a re-send), so after a restart everything above it is checked and, when still
 * queued, sent again (a duplicate of one that did arrive is dropped by `start`).
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
import type { ExecutionStore } from './execution-store'
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

/** The queue as the batcher's sink, behind the test-only fault switch. */
function queueSink(
	queue: Queue<QueueMessage>,
	faults: { queueSend?: boolean },
): BatchSink<ExecutionMessage> {
	return {
		send: async (m) => {
			if (faults.queueSend) throw new Error('injected queue fault')
			await queue.send(m, { contentType: 'v8' })
		},
		sendBatch: async (ms) => {
			if (faults.queueSend) throw new Error('injected queue fault')
			await queue.sendBatch(ms.map((body) => ({ body, contentType: 'v8' as const })))
		},
	}
}

export interface HandOffDeps {
	/** The DO's SQLite, for the watermark in `meta`. */
	sql: SqlStorage
	store: ExecutionStore
	queue: Queue<QueueMessage>
	/** The test-only switch that makes every send fail (see EndpointFaults). */
	faults: { queueSend?: boolean }
	/** The message for an execution recorded at `receivedAt`. */
	message: (seq: number, request: RequestEnvelope, receivedAt: number) => ExecutionMessage
	/** A non-FIFO message the queue refused: fail it or keep it for a re-send. */
	refused: (seq: number, error: unknown, message: ExecutionMessage) => Promise<void>
}

export class QueueHandOff {
	/** Non-FIFO executions whose queue send has not returned yet. */
	#sending = new Set<number>()
	/** Persisted: every non-FIFO execution up to this seq reached the queue or the outbox. */
	#sentThrough = 0
	/** Seqs an earlier incarnation recorded above its watermark, until the alarm checks them. */
	#unconfirmed: { after: number; through: number } | null = null
	#batcher: SendBatcher<ExecutionMessage>

	constructor(private readonly deps: HandOffDeps) {
		const sink = queueSink(deps.queue, deps.faults)
		this.#batcher = new SendBatcher(() => sink, messageBytes)
	}

	/** At start-up: the persisted watermark, and the last sequence number recorded. */
	restore(sentThrough: number, lastSeq: number): void {
		this.#sentThrough = sentThrough
		if (lastSeq > sentThrough) this.#unconfirmed = { after: sentThrough, through: lastSeq }
	}

	/** Until its send returns, the sent watermark stays below `seq` (see `deliver`). */
	track(seq: number): void {
		this.#sending.add(seq)
	}

	isSending(seq: number): boolean {
		return this.#sending.has(seq)
	}

	/** Sends still out: they hold the watermark back. */
	get busy(): boolean {
		return this.#sending.size > 0
	}

	/**
	 * Sends a recorded non-FIFO execution. One the queue refuses is handed to `refused`
	 * (its row's deadline moves to the next try, for the alarm); if this object dies
	 * first, the alarm finds its row past the sent watermark instead.
	 */
	async deliver(seq: number, message: ExecutionMessage): Promise<void> {
		try {
			await this.#sendOrKeep(seq, message)
		} finally {
			this.#sending.delete(seq)
		}
	}

	/** Sends any message (FIFO ones too), batched with others in flight; logs a refusal. */
	async send(message: ExecutionMessage): Promise<SendResult> {
		const sent = await this.#batcher.send(message)
		if (!sent.ok)
			log('warn', 'queue send failed', {
				executionId: message.executionId,
				error: describe(sent.error),
			})
		return sent
	}

	/**
	 * Sends a non-FIFO message. A refusal goes to `refused`: one the queue refuses for
	 * good ends the execution `failed` with the queue's reason; otherwise the row's
	 * deadline moves to the next try, for the alarm (its row is its outbox entry).
	 */
	async #sendOrKeep(seq: number, message: ExecutionMessage): Promise<void> {
		const sent = await this.send(message)
		if (!sent.ok) await this.deps.refused(seq, sent.error, message)
	}

	/**
	 * After a restart: non-FIFO executions recorded by an earlier incarnation past its
	 * sent watermark, still `queued` and without an outbox entry, may never have reached
	 * the queue. They are sent again (a duplicate of one that did is dropped by `start`).
	 * Returns the seqs sent, for the alarm's re-drive to leave alone.
	 */
	async recoverUnsent(): Promise<Set<number>> {
		const sent = new Set<number>()
		const range = this.#unconfirmed
		if (!range) return sent
		for (const { seq, received_at } of this.deps.store.unsent(range.after, range.through)) {
			const request = this.deps.store.request(seq)
			if (!request) continue
			const message = this.deps.message(seq, request, received_at)
			log('warn', 'execution re-sent after a restart', { executionId: message.executionId })
			sent.add(seq)
			await this.#sendOrKeep(seq, message)
		}
		this.#unconfirmed = null
		return sent
	}

	/** Every non-FIFO execution up to here has reached the queue or the outbox. */
	advanceWatermark(lastSeq: number): void {
		let through = lastSeq
		for (const seq of this.#sending) through = Math.min(through, seq - 1)
		if (through <= this.#sentThrough) return
		this.#sentThrough = through
		this.deps.sql.exec(
			"INSERT INTO meta (key, value) VALUES ('sent_through', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			String(through),
		)
	}
}
