/**
 * Records executions: the next sequence number, the execution row, and the means to send
 * it, in one synchronous turn. Sequence numbers are not stored apart: the newest
 * execution row holds the last one (retention never deletes it), which spares a write
 * per request.
 * @module
 */
import type { ExecutionMessage, RequestEnvelope } from '../execution/message'
import { describe } from '../lib/errors'
import { executionIdFor, newResultToken } from '../lib/ids'
import { log } from '../lib/log'
import { REDRIVE_AFTER_MS } from '../limits'
import type { ExecutionOrigin, ExecutionStore } from './execution-store'
import { executionMessage, type QueueHandOff } from './hand-off'
import type { Lanes } from './lanes'
import type { Outbox } from './outbox'

/** A recorded execution and its staged outbox entry. */
export interface Recorded {
	seq: number
	executionId: string
	resultToken: string
	lane: string | null
	message: ExecutionMessage
	/** Waiting behind its FIFO lane: nothing to send yet. */
	held: boolean
}

export interface RecorderDeps {
	store: ExecutionStore
	outbox: Outbox
	lanes: Pick<Lanes, 'stage'>
	handOff: Pick<QueueHandOff, 'track'>
	endpointId(): string
	/** The test-only storage fault (see EndpointFaults). */
	faults: { storage?: boolean }
}

export class Recorder {
	#lastSeq = 0

	constructor(private readonly deps: RecorderDeps) {}

	/** At start-up: the last sequence number, from the newest row. */
	restore(): void {
		this.#lastSeq = this.deps.store.lastSeq()
	}

	get lastSeq(): number {
		return this.#lastSeq
	}

	/**
	 * The execution row and, for a FIFO execution, its outbox entry. The statements have
	 * no await between them, so they commit together, and the output gate holds our answer
	 * until they are durable. If one fails, those before it would still commit with this
	 * turn's writes, so they are undone here: an execution is never recorded without the
	 * means to send it. (`transactionSync` would do the same, at 5–8% of accept throughput.)
	 *
	 * The FIFO entry (in memory: the row is what is durable) waits `held` behind a busy
	 * lane, or is staged in flight, due for a re-send soon unless the queue takes it
	 * first. A non-FIFO execution needs no entry: its row, with its deadline, is the outbox.
	 */
	record(request: RequestEnvelope, now: number, origin: ExecutionOrigin): Recorded {
		const seq = this.#lastSeq + 1
		const { lane } = origin
		const endpointId = this.deps.endpointId()
		try {
			const resultToken = newResultToken()
			// The backstop's deadline, in the same write: past it the message is overdue.
			const deadline = now + REDRIVE_AFTER_MS
			this.deps.store.insert({ ...origin, seq, now, deadline, resultToken, request })
			// After the first write, so that the undo below is what the fault test sees.
			if (this.deps.faults.storage) throw new Error('injected storage fault')
			const message = executionMessage(endpointId, seq, request, now)
			const held = lane !== null && this.deps.lanes.stage(seq, lane, now) === 'held'
			this.#lastSeq = seq
			// Until its send returns, the backstop leaves it alone (see hand-off.ts).
			if (lane === null) this.deps.handOff.track(seq)
			const executionId = executionIdFor(endpointId, seq)
			return { seq, executionId, resultToken, lane, message, held }
		} catch (err) {
			this.#unrecord(seq)
			throw err
		}
	}

	#unrecord(seq: number): void {
		try {
			this.deps.store.remove(seq)
			this.deps.outbox.remove(seq)
		} catch (err) {
			log('error', 'could not undo a partly recorded execution', { seq, error: describe(err) })
		}
	}
}
