/**
 * An exact rolling-window rate limiter: at most `limit` admissions in any window of
 * `windowMs` milliseconds, wherever the window starts. Not a per-second bucket (which
 * admits 2×limit across a bucket boundary) and not a token bucket (which admits bursts
 * by design): the SPEC promises "at most N in any rolling 1-second window".
 *
 * It keeps the timestamps of the last `limit` admissions in a ring. A request at time t
 * is admitted iff the oldest of them is at least `windowMs` old, i.e. fewer than `limit`
 * admissions fall in (t - windowMs, t]. Memory is O(limit); each decision is O(1).
 * @module
 */

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number }

export class RateWindow {
	#limit: number
	readonly windowMs: number
	/** Admission timestamps, oldest at `#head` once the ring is full. */
	#ring: number[]
	#head = 0
	#last = Number.NEGATIVE_INFINITY

	constructor(limit: number, windowMs = 1000, history: readonly number[] = []) {
		if (!Number.isInteger(limit) || limit < 1)
			throw new RangeError('limit must be a positive integer')
		this.#limit = limit
		this.windowMs = windowMs
		this.#ring = []
		for (const t of [...history].sort((a, b) => a - b).slice(-limit)) this.#push(t)
	}

	get limit(): number {
		return this.#limit
	}

	/** Decides at time `now` (ms) and, if admitted, records the admission. */
	admit(now: number): Admission {
		// Clocks can step backwards; never let that open extra room in the window.
		const t = Math.max(now, this.#last)
		if (this.#ring.length >= this.#limit) {
			const oldest = this.#ring[this.#head] as number
			const freeAt = oldest + this.windowMs
			if (freeAt > t) return { admitted: false, retryAfterMs: freeAt - t }
		}
		this.#push(t)
		return { admitted: true }
	}

	/** Forgets the most recent admission (its request could not be made durable). */
	revertLast(): void {
		if (this.#ring.length === 0) return
		if (this.#ring.length < this.#limit) {
			this.#ring.pop()
		} else {
			// The newest entry sits just before the head; turning it into the oldest, already
			// expired entry frees exactly one slot without reordering the ring.
			this.#head = (this.#head - 1 + this.#limit) % this.#limit
			this.#ring[this.#head] = Number.NEGATIVE_INFINITY
		}
		this.#last = Math.max(Number.NEGATIVE_INFINITY, ...this.history())
	}

	/** Admissions counted at time `now`, i.e. those in (now - windowMs, now]. */
	count(now: number): number {
		return this.#ring.filter((t) => t > now - this.windowMs && t <= now).length
	}

	/** The remembered admission timestamps, oldest first. */
	history(): number[] {
		const ordered =
			this.#ring.length < this.#limit
				? this.#ring
				: [...this.#ring.slice(this.#head), ...this.#ring.slice(0, this.#head)]
		return ordered.filter(Number.isFinite)
	}

	/** A window with a new limit that keeps the admissions it already knows about. */
	withLimit(limit: number): RateWindow {
		return new RateWindow(limit, this.windowMs, this.history())
	}

	#push(t: number): void {
		if (this.#ring.length < this.#limit) {
			this.#ring.push(t)
		} else {
			this.#ring[this.#head] = t
			this.#head = (this.#head + 1) % this.#limit
		}
		this.#last = t
	}
}
