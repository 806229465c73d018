/**
 * Per-minute refusal counters for the console's live view. Pure and in memory: a
 * refusal must stay nearly free (no storage write on the 429 path).
 * @module
 */

/** Requests turned away without an execution, by kind. */
export interface RefusalCounts {
	unauthorized: number
	rateLimited: number
	/** Dropped by their flow's `filter` (answered 200 `{"filtered":true}`). */
	filtered: number
}

export type RefusalKind = keyof RefusalCounts

export const REFUSAL_KINDS: readonly RefusalKind[] = ['unauthorized', 'rateLimited', 'filtered']

export const noRefusals = (): RefusalCounts => ({ unauthorized: 0, rateLimited: 0, filtered: 0 })

export interface ActivityMinute extends RefusalCounts {
	minute: string
	admitted: number
}

const KEEP_MINUTES = 60

export class ActivityCounters {
	#minutes = new Map<number, RefusalCounts>()

	bump(now: number, kind: RefusalKind, by = 1): void {
		const minute = Math.floor(now / 60_000)
		let entry = this.#minutes.get(minute)
		if (!entry) {
			entry = noRefusals()
			this.#minutes.set(minute, entry)
			for (const m of this.#minutes.keys()) if (m <= minute - KEEP_MINUTES) this.#minutes.delete(m)
		}
		entry[kind] += by
	}

	/** Adds what an isolate counted since its last report. */
	add(now: number, counts: RefusalCounts): void {
		for (const kind of REFUSAL_KINDS) if (counts[kind] > 0) this.bump(now, kind, counts[kind])
	}

	minutes(now: number, count: number, admitted: Map<number, number>): ActivityMinute[] {
		const last = Math.floor(now / 60_000)
		const out: ActivityMinute[] = []
		for (let m = last - count + 1; m <= last; m++) {
			out.push({
				minute: new Date(m * 60_000).toISOString(),
				admitted: admitted.get(m) ?? 0,
				...(this.#minutes.get(m) ?? noRefusals()),
			})
		}
		return out
	}
}
