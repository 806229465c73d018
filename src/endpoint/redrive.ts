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
import { REDRIVE_MAX, REDRIVE_MAX_INTERVAL_MS } from '../limits'

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
