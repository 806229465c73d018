/**
 * The endpoint's one alarm: setting it, and what it does when it rings. Re-sends
 * messages whose hand-off failed or vanished, re-drives FIFO lanes whose in-flight
 * execution made no progress (a lost completion report), keeps storage bounded (delivery
 * ids past 24 h, records past retention), then sets itself for the earliest pending work
 * (the plan is alarm-plan.ts, pure). Also the sweep the registry's retention round asks
 * for, so that an idle endpoint needs no alarm for its records.
 * @module
 */
import { count } from '../lib/meter'
import { RETENTION_SWEEP_MAX } from '../limits'
import { alarmCutoffs, MIN_ALARM_GAP_MS, nextAlarm } from './alarm-plan'
import type { Backstop } from './backstop'
import type { ExecutionStore } from './execution-store'
import type { Lanes } from './lanes'
import type { Outbox } from './outbox'
import type { Retention } from './retention'

export interface AlarmDeps {
	storage: Pick<DurableObjectStorage, 'getAlarm' | 'setAlarm'>
	store: ExecutionStore
	outbox: Outbox
	lanes: Lanes
	backstop: Backstop
	retention: Retention
}

export class Alarm {
	/** The alarm time last set (null: none); spares a storage read per request. */
	#at: number | null = null

	constructor(private readonly deps: AlarmDeps) {}

	/** Reads the alarm set before this object started. */
	async restore(): Promise<void> {
		this.#at = await this.deps.storage.getAlarm()
	}

	/** Sets the alarm for `at`, unless it is already set as early: each set is a row written. */
	async schedule(at: number): Promise<void> {
		if (this.#at !== null && this.#at <= at) return
		this.#at = at
		count('rowsWritten')
		count('alarmsSet')
		await this.deps.storage.setAlarm(at)
	}

	/** What the alarm does. Idempotent: alarms are delivered at least once. */
	async ring(now: number): Promise<void> {
		const { store, outbox, lanes, backstop, retention } = this.deps
		this.#at = null
		store.unfinished.advance()
		await lanes.redrive(now)
		const postponed = await backstop.redriveOverdue(now)
		const nextDeadline = store.unfinished.nextDeadline()
		const swept = this.#sweep(now)
		const next = nextAlarm({
			now,
			swept,
			nextLaneDue: outbox.nextDue(),
			oldestDelivery: retention.oldestDelivery(),
			nextDeadline,
			postponed,
		})
		if (next) await this.schedule(next.at)
	}

	/**
	 * The registry's retention round (registry/retention-round.ts). A backlog larger than
	 * one sweep goes on through the alarm. Returns how many records were dropped.
	 */
	async sweep(now: number): Promise<number> {
		const swept = this.#sweep(now)
		if (swept === RETENTION_SWEEP_MAX) await this.schedule(now + MIN_ALARM_GAP_MS)
		return swept
	}

	#sweep(now: number): number {
		const cutoffs = alarmCutoffs(now)
		this.deps.retention.purgeDeliveries(cutoffs.deliveries)
		return this.deps.retention.sweep(cutoffs.records)
	}
}
