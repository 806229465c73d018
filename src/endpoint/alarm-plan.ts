/**
 * The EndpointDO alarm's plan, as plain functions over what its stores report: what an
 * alarm cleans up now (`alarmCutoffs`) and when the next one is due (`nextAlarm`). A DO
 * has one alarm, so every mechanism that needs a wake (re-sends, re-drives, a retention
 * backlog) is one candidate here, and the earliest wins. Records expiring on an idle
 * endpoint are not one: the registry's retention round asks every endpoint to sweep.
 * Pure, so the schedule can be read and tested without a Durable Object.
 * @module
 */
import {
	DEDUPE_WINDOW_MS,
	EXECUTION_RETENTION_MS,
	REDRIVE_AFTER_MS,
	RETENTION_RECYCLE_SLACK_MS,
	RETENTION_SWEEP_MAX,
} from '../limits'

/** What an alarm at `now` drops: ids and records received (finished) at or before these. */
export interface AlarmCutoffs {
	/** Delivery ids received at or before this are forgotten (the dedupe window is over). */
	deliveries: number
	/**
	 * Records that finished before this are swept: retention is over, and no new execution
	 * took their row in the slack after it (see EXECUTION_RETENTION_MS).
	 */
	records: number
}

export function alarmCutoffs(now: number): AlarmCutoffs {
	return {
		deliveries: now - DEDUPE_WINDOW_MS,
		records: now - EXECUTION_RETENTION_MS - RETENTION_RECYCLE_SLACK_MS,
	}
}

/** What the stores reported at the end of an alarm; `null` where there is nothing. */
export interface AlarmFacts {
	now: number
	/** How many records this alarm's sweep dropped. */
	swept: number
	/** The earliest deadline of a FIFO lane's in-flight execution. */
	nextLaneDue: number | null
	/** The earliest deadline of a non-FIFO execution not yet finished. */
	nextDeadline: number | null
	/** An overdue message was only late, not lost: look again. */
	postponed: boolean
	/** When the oldest remembered delivery id was received. */
	oldestDelivery: number | null
}

export type WakeReason = 'sweep-backlog' | 'lane-due' | 'deadline' | 'postponed' | 'delivery-expiry'

/**
 * The soonest an alarm comes back: a deadline already past or a sweep backlog waits this
 * long instead of spinning the object.
 */
export const MIN_ALARM_GAP_MS = 1000

/**
 * When the next alarm is due and for what (the earliest candidate), or null when
 * nothing needs one.
 */
export function nextAlarm(f: AlarmFacts): { at: number; reason: WakeReason } | null {
	const { now } = f
	const candidates: Array<[WakeReason, number | null]> = [
		['sweep-backlog', f.swept === RETENTION_SWEEP_MAX ? now : null],
		['lane-due', f.nextLaneDue],
		['deadline', f.nextDeadline],
		['postponed', f.postponed ? now + REDRIVE_AFTER_MS : null],
		['delivery-expiry', f.oldestDelivery === null ? null : f.oldestDelivery + DEDUPE_WINDOW_MS],
	]
	let best: { at: number; reason: WakeReason } | null = null
	for (const [reason, at] of candidates)
		if (at !== null && (best === null || at < best.at)) best = { at, reason }
	return best && { at: Math.max(best.at, now + MIN_ALARM_GAP_MS), reason: best.reason }
}
