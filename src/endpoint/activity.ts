/**
 * Per-minute refusal counters for the console's live view and the admin API. Pure and in
 * memory: a refusal must stay nearly free (no storage write on the 401/403/429 paths).
 * @module
 */

/**
 * Why a 401 or 403 was given: for the operator only, never sent to the sender.
 * `missing`: no credentials or signature header; `malformed`: present but unreadable;
 * `timestamp`: outside the tolerance; `signature`: wrong signature, key or password;
 * `config`: the endpoint cannot verify anything (no secret, unknown preset); `ip`: the
 * client address is not in the endpoint's allowlist.
 */
export type RefusalReason = 'missing' | 'malformed' | 'timestamp' | 'signature' | 'config' | 'ip'

export const REFUSAL_REASONS: readonly RefusalReason[] = [
	'missing',
	'malformed',
	'timestamp',
	'signature',
	'config',
	'ip',
]

/** Requests turned away without an execution, by kind, with the reasons of 401s and 403s. */
export interface RefusalCounts {
	unauthorized: number
	forbidden: number
	rateLimited: number
	/** Dropped by their flow's `filter` (answered 200 `{"filtered":true}`). */
	filtered: number
	reasons: Record<RefusalReason, number>
}

export type RefusalKind = Exclude<keyof RefusalCounts, 'reasons'>

export const REFUSAL_KINDS: readonly RefusalKind[] = [
	'unauthorized',
	'forbidden',
	'rateLimited',
	'filtered',
]

export const noRefusals = (): RefusalCounts => ({
	unauthorized: 0,
	forbidden: 0,
	rateLimited: 0,
	filtered: 0,
	reasons: { missing: 0, malformed: 0, timestamp: 0, signature: 0, config: 0, ip: 0 },
})

export interface ActivityMinute extends RefusalCounts {
	minute: string
	admitted: number
}

/** Adds `more` into `into` (reports from isolates, totals over minutes). */
export function addRefusals(into: RefusalCounts, more: RefusalCounts): RefusalCounts {
	for (const kind of REFUSAL_KINDS) into[kind] += more[kind] ?? 0
	for (const reason of REFUSAL_REASONS) into.reasons[reason] += more.reasons?.[reason] ?? 0
	return into
}

/** Minutes summed: what the admin API and the console show beside the per-minute bars. */
export function activityTotals(minutes: readonly ActivityMinute[]): RefusalCounts & {
	admitted: number
} {
	const totals = { admitted: 0, ...noRefusals() }
	for (const m of minutes) {
		totals.admitted += m.admitted
		addRefusals(totals, m)
	}
	return totals
}

const KEEP_MINUTES = 60

export class ActivityCounters {
	#minutes = new Map<number, RefusalCounts>()

	#entry(now: number): RefusalCounts {
		const minute = Math.floor(now / 60_000)
		let entry = this.#minutes.get(minute)
		if (!entry) {
			entry = noRefusals()
			this.#minutes.set(minute, entry)
			for (const m of this.#minutes.keys()) if (m <= minute - KEEP_MINUTES) this.#minutes.delete(m)
		}
		return entry
	}

	bump(now: number, kind: RefusalKind, by = 1): void {
		this.#entry(now)[kind] += by
	}

	/** Adds what an isolate counted since its last report. */
	add(now: number, counts: RefusalCounts): void {
		addRefusals(this.#entry(now), counts)
	}

	minutes(now: number, count: number, admitted: Map<number, number>): ActivityMinute[] {
		const last = Math.floor(now / 60_000)
		const out: ActivityMinute[] = []
		for (let m = last - count + 1; m <= last; m++) {
			const entry = this.#minutes.get(m) ?? noRefusals()
			out.push({
				minute: new Date(m * 60_000).toISOString(),
				admitted: admitted.get(m) ?? 0,
				...entry,
				reasons: { ...entry.reasons },
			})
		}
		return out
	}
}
