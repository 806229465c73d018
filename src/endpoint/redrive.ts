/**
 * The backstop rules for executions nobody is driving: when to send a message again,
 * how often, when to give up, and which queue refusals are final. Pure, so the
 * schedule can be read and tested without a Durable Object.
 *
 * Every non-terminal execution has an owner: a message in the queue, a runner holding
 * its lease, or its endpoint's alarm, which re-drives it once its deadline passes
 * (`executions.lease_until` for non-FIFO rows, the outbox's `due_at` for a FIFO lane's
 * in-flight one). Re-driving is safe because `start` drops duplicates and never runs a
 * finished execution again; it is bounded, so a hopeless execution ends `failed`.
 * @module
 */
import { describe } from '../lib/errors'
import {
	OVERTAKEN_AFTER_MS,
	REDRIVE_AFTER_MS,
	REDRIVE_MAX,
	REDRIVE_MAX_INTERVAL_MS,
} from '../limits'

/** The delay before re-drive number `n + 1`, after `n` so far, from a first delay of `firstMs`. */
export function redriveDelayMs(n: number, firstMs: number): number {
	return Math.min(firstMs * 2 ** Math.max(0, n - 1), REDRIVE_MAX_INTERVAL_MS)
}

/** True once an execution has been re-driven as often as it may be. */
export const redrivesExhausted = (n: number): boolean => n >= REDRIVE_MAX

/**
 * A queue refusal that no retry can change: the message itself is unacceptable. Known by
 * its size (`oversize`: past a queue message by our upper-bound estimate; the local
 * queue answers that with only "Unknown Internal Error") or by the error's own words
 * (not serializable, too large). Everything else (throttling, a full backlog, a network
 * error) is worth another try.
 */
export function isPermanentRefusal(err: unknown, oversize: boolean): boolean {
	if (oversize) return true
	return /too large|exceeds? (the )?(maximum|limit) (message )?size|larger than|DataCloneError|could not be (cloned|serialized)/i.test(
		describe(err),
	)
}

export type StalledStatus = 'queued' | 'running' | 'retrying'

/** The recorded reason of an execution given up on after `n` re-drives. */
export function abandonedReason(status: StalledStatus, n: number): string {
	const what =
		status === 'running'
			? 'its runner stopped reporting'
			: 'its queue message never reached a runner'
	return `Execution abandoned: ${what}, and ${n} re-sends did not get it run.`
}

export const refusedReason = (err: unknown): string =>
	`The queue refused this execution's message: ${describe(err)}`

/** What the endpoint has seen of its queue's deliveries (in memory; empty after a restart). */
export interface DeliveryProgress {
	/** When a message of a non-FIFO execution was last started. */
	lastStartAt: number | null
	/** The newest send time among the messages started so far. */
	newestStartedSentAt: number
}

/** The columns `sentAt` reads. */
export interface SendTimes {
	status: string
	redrives: number
	received_at: number
	updated_at: number
	lease_until: number | null
}

/**
 * When a queued or retrying execution's current message was sent (a retry's, when it
 * became deliverable). A re-drive stamps `updated_at`; a retry's deadline is its delay
 * plus REDRIVE_AFTER_MS.
 */
export function sentAt(row: SendTimes): number {
	if (row.redrives > 0) return row.updated_at
	if (row.status === 'retrying' && row.lease_until !== null)
		return row.lease_until - REDRIVE_AFTER_MS
	return row.received_at
}

/**
 * Whether an overdue message is presumed lost rather than late. A queue roughly keeps
 * send order, so it is lost once messages sent well after it have been delivered, or
 * when nothing has been delivered for a while (an idle queue, a restart: the object
 * has seen no start since). While the consumer works through older messages, it is
 * late: re-sending it would only lengthen the backlog with duplicates.
 */
export function presumedLost(sent: number, progress: DeliveryProgress, now: number): boolean {
	if (progress.lastStartAt === null || now - progress.lastStartAt > REDRIVE_AFTER_MS) return true
	return progress.newestStartedSentAt > sent + OVERTAKEN_AFTER_MS
}
