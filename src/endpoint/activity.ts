/**
 * Per-minute refusal counters for the console's live view. Pure and in memory: a
 * refusal must stay nearly free (no storage write on the 429 path).
 * @module
 */

export interface ActivityMinute {
	minute: string
	admitted: number
	rateLimited: number
	unauthorized: number
}

type Kind = 'rateLimited' | 'unauthorized'

/** Refusals an isolate counted itself and reports in bulk. */
export interface RefusalCounts {
	unauthorized: number
	rateLimited: number
}

const KEEP_MINUTES = 60

export class ActivityCounters {
	#minutes = new Map<number, { rateLimited: number; unauthorized: number }>()

	bump(now: number, kind: Kind, by = 1): void {
		const minute = Math.floor(now / 60_000)
		let entry = this.#minutes.get(minute)
		if (!entry) {
			entry = { rateLimited: 0, unauthorized: 0 }
			this.#minutes.set(minute, entry)
			for (const m of this.#minutes.keys()) if (m <= minute - KEEP_MINUTES) this.#minutes.delete(m)
		}
		entry[kind] += by
	}

	minutes(now: number, count: number, admitted: Map<number, number>): ActivityMinute[] {
		const last = Math.floor(now / 60_000)
		const out: ActivityMinute[] = []
		for (let m = last - count + 1; m <= last; m++) {
			const entry = this.#minutes.get(m)
			out.push({
				minute: new Date(m * 60_000).toISOString(),
				admitted: admitted.get(m) ?? 0,
				rateLimited: entry?.rateLimited ?? 0,
				unauthorized: entry?.unauthorized ?? 0,
			})
		}
		return out
	}
}
