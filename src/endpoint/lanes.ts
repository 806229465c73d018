/**
 * The FIFO lane protocol. A FIFO execution's outbox entry waits `held` while its lane has
 * one in flight, and is released in sequence order when that one finishes; the one in
 * flight carries a deadline past which the alarm re-drives it, so a lost message or
 * report never stalls the lane. A consumer that finishes a lane's execution may ask to
 * `chain`: the next one is then started here and handed back for it to run, without a
 * queue hop. A chain runs under its first queue message, which is acked only when the
 * chain is over, so the lane executions it runs are leased to `chainHolder(message id)`
 * and a redelivery of that message (its consumer failed mid-chain) `resume`s the chain.
 *
 * The outbox (`outbox.ts`) keeps the entries, in memory over the execution rows; this
 * module decides what happens to them.
 * @module
 */
import type { ExecutionMessage } from '../execution/message'
import { log } from '../lib/log'
import {
	LANE_CHAIN_MAX,
	LANE_CHAIN_MAX_MS,
	LANE_STALL_MS,
	LEASE_GRACE_MS,
	REDISPATCH_AFTER_MS,
} from '../limits'
import type { ChainedExecution, StartedExecution } from './api'
import { stalled } from './attempts'
import { type ExecutionRow, isTerminal } from './execution-record'
import type { ExecutionStore } from './execution-store'
import type { Outbox, PendingState } from './outbox'
import { abandonedReason, redriveDelayMs, redrivesExhausted } from './redrive'
import type { SendResult } from './send-batcher'

/** Why an execution whose stored request is gone (a row from before requests were kept) fails. */
export const REQUEST_LOST = 'Execution lost: its request is no longer stored.'

/** The lease holder of lane executions a consumer runs as a chain under queue message `messageId`. */
export const chainHolder = (messageId: string): string => `chain:${messageId}`

/**
 * Whether the execution a chain runs after `ran` others (the queue delivery that started
 * it counts) is its last: it then completes without asking for more, and the DO releases
 * the lane through the queue again.
 */
export const lastOfChain = (ran: number, startedAt: number, now: number): boolean =>
	ran + 1 >= LANE_CHAIN_MAX || now - startedAt >= LANE_CHAIN_MAX_MS

/** An execution that can be started: its row, and the lease machine bound to it. */
export interface Runnable {
	row: ExecutionRow
	/** Counts an attempt and leases the execution to `holder`. */
	begin(holder: string): Promise<StartedExecution>
}

export interface LaneDeps {
	outbox: Outbox
	store: ExecutionStore
	send(message: ExecutionMessage): Promise<SendResult>
	/** A FIFO message the queue refused: fail it or keep it for a re-send. */
	refused(seq: number, lane: string, error: unknown, message: ExecutionMessage): Promise<void>
	/** The execution with what it runs under, if it still exists and can run. */
	runnable(seq: number): Runnable | null
	/** Ends an execution with `reason` (a failure report). */
	fail(seq: number, reason: string): Promise<void>
	schedule(at: number): Promise<void>
	now(): number
}

export class Lanes {
	constructor(private readonly deps: LaneDeps) {}

	/**
	 * Stages a new lane execution: `held` behind a busy lane, or in flight, due for a
	 * re-send soon unless the queue takes it first.
	 */
	stage(seq: number, lane: string, now: number): PendingState {
		const state = this.deps.outbox.laneBusy(lane) ? 'held' : 'inflight'
		const due = state === 'held' ? null : now + REDISPATCH_AFTER_MS
		this.deps.outbox.add(seq, lane, state, due)
		return state
	}

	/** A lane execution's message, from its row; one whose request is gone fails instead. */
	async #message(seq: number): Promise<ExecutionMessage | null> {
		const message = this.deps.outbox.message(seq)
		if (!message) await this.deps.fail(seq, REQUEST_LOST)
		return message
	}

	/** Waiting behind its lane: not to be run, nor failed by a dead letter, before its turn. */
	isHeld(seq: number): boolean {
		return this.deps.outbox.stateOf(seq) === 'held'
	}

	/**
	 * A redelivery of a chain's queue message means its consumer failed mid-chain, and
	 * the lane execution it was running (leased to `chain:<message id>`) is taken over
	 * now, as a redelivery takes over its own execution, instead of at the lane's
	 * deadline. The lost attempt counts, as a crashed delivery's does.
	 */
	async resume(lane: string, messageId: string): Promise<ChainedExecution | null> {
		const inflight = this.deps.outbox.inflightOf(lane)
		const found = inflight ? this.deps.runnable(inflight.seq) : null
		if (!inflight || !found) return null
		const holder = chainHolder(messageId)
		if (found.row.status !== 'running' || found.row.lease_holder !== holder) return null
		const message = this.deps.outbox.message(inflight.seq)
		if (!message) return null
		// A new lane deadline for the new lease (`begin`'s alarm falls at the same time).
		this.deps.outbox.setDue(inflight.seq, this.deps.now() + LANE_STALL_MS)
		return { message, start: await found.begin(holder) }
	}

	/** A lane execution will be retried: the lane waits through the retry delay. */
	async retrying(seq: number, retryInSeconds: number, now: number): Promise<void> {
		// Re-drive only if nothing comes back.
		const due = now + retryInSeconds * 1000 + LANE_STALL_MS
		this.deps.outbox.setDue(seq, due)
		await this.deps.schedule(due)
	}

	/** Releases the next held execution of a lane, if the lane is free. */
	async release(lane: string): Promise<void> {
		const next = this.deps.outbox.takeHeld(lane, this.deps.now() + LANE_STALL_MS)
		if (!next) return
		const message = await this.#message(next.seq)
		if (message) await this.dispatch(next.seq, lane, message)
	}

	/**
	 * Like `release`, but starts the next execution for chain `holder` instead of sending
	 * it. Its in-flight deadline stays: if the holder vanishes, the alarm re-drives the
	 * lane as it would a lost delivery.
	 */
	async chain(lane: string, holder: string): Promise<ChainedExecution | null> {
		const next = this.deps.outbox.takeHeld(lane, this.deps.now() + LANE_STALL_MS)
		if (!next) return null
		const message = await this.#message(next.seq)
		if (!message) return null
		const found = this.deps.runnable(next.seq)
		if (!found || isTerminal(found.row.status)) {
			// Nothing runnable to hand over: the queue path settles it as it always has.
			await this.dispatch(next.seq, lane, message)
			return null
		}
		// `begin`'s lease alarm falls when the lane's deadline does (LANE_STALL_MS is the
		// lease plus its grace), so the deadline needs no alarm of its own.
		return { message, start: await found.begin(chainHolder(holder)) }
	}

	/**
	 * Sends an in-flight FIFO message, due for a re-drive after `stallMs` unless the lane
	 * moves first; a refused one is handled as any refusal.
	 */
	async dispatch(
		seq: number,
		lane: string,
		message: ExecutionMessage,
		stallMs = LANE_STALL_MS,
	): Promise<void> {
		const sent = await this.deps.send(message)
		if (!sent.ok) return this.deps.refused(seq, lane, sent.error, message)
		const due = this.deps.now() + stallMs
		this.deps.outbox.setDue(seq, due)
		await this.deps.schedule(due)
	}

	/**
	 * FIFO lanes whose in-flight execution is past its deadline: the message is sent
	 * again, unless a live runner holds the execution (it renews its lease; wait for
	 * that). Outbox entries of finished executions are dropped, freeing their lanes.
	 */
	async redrive(now: number): Promise<void> {
		const { outbox, store } = this.deps
		for (const entry of outbox.due(now, 200)) {
			const exec = store.row(entry.seq)
			if (!exec || isTerminal(exec.status)) {
				outbox.remove(entry.seq)
				if (entry.lane !== null) await this.release(entry.lane)
				continue
			}
			const leaseEnds = exec.status === 'running' ? (exec.lease_until ?? 0) + LEASE_GRACE_MS : 0
			if (leaseEnds > now) {
				outbox.setDue(entry.seq, leaseEnds)
				continue
			}
			if (redrivesExhausted(exec.redrives)) {
				await this.deps.fail(entry.seq, abandonedReason(stalled(exec), exec.redrives))
				continue
			}
			const message = await this.#message(entry.seq)
			if (!message) continue
			const n = exec.redrives + 1
			store.attempts.countRedrive(entry.seq, n)
			log('warn', 'fifo lane re-driven', { executionId: message.executionId, lane: entry.lane })
			await this.dispatch(entry.seq, entry.lane, message, redriveDelayMs(n, LANE_STALL_MS))
		}
	}
}
