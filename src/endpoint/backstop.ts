/**
 * The backstop for executions nobody is driving (the rules are in `redrive.ts`): it
 * re-sends a non-FIFO execution whose deadline passed, and decides what a queue refusal
 * does to an execution, FIFO or not. FIFO lanes re-drive their in-flight executions
 * themselves (`lanes.ts`); both end an execution re-driven too often as `failed`.
 * @module
 */
import type { ExecutionMessage } from '../execution/message'
import { log } from '../lib/log'
import { MAX_QUEUE_MESSAGE_BYTES, REDISPATCH_AFTER_MS, REDRIVE_AFTER_MS } from '../limits'
import { isTerminal } from './execution-record'
import type { ExecutionStore } from './execution-store'
import { messageBytes } from './hand-off'
import { REQUEST_LOST } from './lanes'
import type { Outbox } from './outbox'
import {
	abandonedReason,
	type DeliveryProgress,
	isPermanentRefusal,
	presumedLost,
	redriveDelayMs,
	redrivesExhausted,
	refusedReason,
	sentAt,
} from './redrive'
import type { SendResult } from './send-batcher'

export interface BackstopDeps {
	store: ExecutionStore
	outbox: Outbox
	send(message: ExecutionMessage): Promise<SendResult>
	/** Whether a send of this execution is still out (it is not overdue, only slow). */
	sending(seq: number): boolean
	/** Execution `seq`'s queue message, rebuilt from its row (null if its request is gone). */
	message(seq: number): ExecutionMessage | null
	/** Ends an execution with `reason` (a failure report). */
	fail(seq: number, reason: string): Promise<void>
	schedule(at: number): Promise<void>
	now(): number
}

export class Backstop {
	/** Deliveries seen, for telling a lost message from a late one (see `presumedLost`). */
	#progress: DeliveryProgress = { lastStartAt: null, newestStartedSentAt: 0 }

	constructor(private readonly deps: BackstopDeps) {}

	/** A non-FIFO execution's message was delivered and is about to start, at `now`. */
	delivered(sent: number, now: number): void {
		this.#progress.lastStartAt = now
		this.#progress.newestStartedSentAt = Math.max(this.#progress.newestStartedSentAt, sent)
	}

	/**
	 * A refused send: final (the message itself is unacceptable) or out of tries, the
	 * execution fails with the reason, which wakes a synchronous caller and frees a FIFO
	 * lane; otherwise it is sent again after a backoff, as a re-drive. `counted`: the
	 * send was itself a re-drive, already counted.
	 */
	async refused(
		seq: number,
		lane: string | null,
		error: unknown,
		message: ExecutionMessage,
		counted = false,
	): Promise<void> {
		const row = this.deps.store.row(seq)
		if (!row || isTerminal(row.status)) return
		const oversize = messageBytes(message) > MAX_QUEUE_MESSAGE_BYTES
		if (isPermanentRefusal(error, oversize) || redrivesExhausted(row.redrives)) {
			await this.deps.fail(seq, refusedReason(error))
			return
		}
		const n = counted ? row.redrives : row.redrives + 1
		const due = this.deps.now() + redriveDelayMs(n, REDISPATCH_AFTER_MS)
		if (lane === null) {
			this.deps.store.attempts.deferRefused(seq, n, due)
		} else {
			this.deps.store.attempts.countRedrive(seq, n)
			this.deps.outbox.setDue(seq, due)
		}
		await this.deps.schedule(due)
	}

	/**
	 * Non-FIFO executions past their deadline: a queued or retrying one whose message is
	 * overdue, or a running one whose runner stopped renewing its lease. Each is sent
	 * again, and the next delivery takes it over (`start` counts the attempt, and never
	 * runs a finished execution). Bounded: after REDRIVE_MAX re-drives it fails with the
	 * reason. A message that is only late (the consumer is still working through older
	 * ones) is left alone; true when one was, for the alarm to look again.
	 */
	async redriveOverdue(now: number): Promise<boolean> {
		const { store } = this.deps
		let postponed = false
		for (const row of store.unfinished.overdue(now, 200)) {
			if (this.deps.sending(row.seq)) {
				postponed = true
				continue
			}
			if (row.status !== 'running' && !presumedLost(sentAt(row), this.#progress, now)) {
				postponed = true
				continue
			}
			if (redrivesExhausted(row.redrives)) {
				await this.deps.fail(row.seq, abandonedReason(row.status, row.redrives))
				continue
			}
			const message = this.deps.message(row.seq)
			if (!message) {
				await this.deps.fail(row.seq, REQUEST_LOST)
				continue
			}
			// Before the send, with no await between read and write: whoever starts it next
			// finds it free to take.
			const n = row.redrives + 1
			const at = this.deps.now()
			store.attempts.markRedriven(row.seq, n, at + redriveDelayMs(n, REDRIVE_AFTER_MS), at)
			log('warn', 'execution re-driven', {
				executionId: message.executionId,
				status: row.status,
				redrives: n,
			})
			const sent = await this.deps.send(message)
			if (!sent.ok) await this.refused(row.seq, null, sent.error, message, true)
		}
		return postponed
	}
}
