import { describe, expect, it } from 'vitest'
import {
	type AlarmFacts,
	alarmCutoffs,
	MIN_ALARM_GAP_MS,
	nextAlarm,
} from '../../src/endpoint/alarm-plan'
import {
	DEDUPE_WINDOW_MS,
	EXECUTION_RETENTION_MS,
	REDRIVE_AFTER_MS,
	RETENTION_RECYCLE_SLACK_MS,
	RETENTION_SWEEP_MAX,
} from '../../src/limits'

const NOW = 1_800_000_000_000

/** An endpoint with nothing left to do. */
const idle = (over: Partial<AlarmFacts> = {}): AlarmFacts => ({
	now: NOW,
	swept: 0,
	nextLaneDue: null,
	nextDeadline: null,
	postponed: false,
	oldestDelivery: null,
	...over,
})

describe('alarmCutoffs', () => {
	it('forgets delivery ids after the dedupe window, records after retention', () => {
		expect(alarmCutoffs(NOW)).toEqual({
			deliveries: NOW - DEDUPE_WINDOW_MS,
			records: NOW - EXECUTION_RETENTION_MS - RETENTION_RECYCLE_SLACK_MS,
		})
	})
})

describe('nextAlarm', () => {
	it('sets no alarm for an endpoint with nothing pending', () => {
		expect(nextAlarm(idle())).toBeNull()
	})

	it('comes back for each kind of pending work, at its own time', () => {
		const cases: Array<[Partial<AlarmFacts>, string, number]> = [
			[{ nextLaneDue: NOW + 5_000 }, 'lane-due', NOW + 5_000],
			[{ nextDeadline: NOW + 60_000 }, 'deadline', NOW + 60_000],
			[{ postponed: true }, 'postponed', NOW + REDRIVE_AFTER_MS],
			[{ oldestDelivery: NOW - 1_000 }, 'delivery-expiry', NOW - 1_000 + DEDUPE_WINDOW_MS],
		]
		for (const [facts, reason, at] of cases) expect(nextAlarm(idle(facts))).toEqual({ at, reason })
	})

	it('takes the earliest candidate', () => {
		const next = nextAlarm(
			idle({ nextDeadline: NOW + 60_000, nextLaneDue: NOW + 20_000, postponed: true }),
		)
		expect(next).toEqual({ at: NOW + 20_000, reason: 'lane-due' })
	})

	it('never comes back sooner than the minimum gap, even for work already overdue', () => {
		expect(nextAlarm(idle({ nextDeadline: NOW - 5_000 }))).toEqual({
			at: NOW + MIN_ALARM_GAP_MS,
			reason: 'deadline',
		})
	})

	it('comes back at once (after the gap) while the retention sweep has a backlog', () => {
		expect(nextAlarm(idle({ swept: RETENTION_SWEEP_MAX }))).toEqual({
			at: NOW + MIN_ALARM_GAP_MS,
			reason: 'sweep-backlog',
		})
		expect(nextAlarm(idle({ swept: RETENTION_SWEEP_MAX - 1 }))).toBeNull()
	})
})
