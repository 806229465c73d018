/**
 * What an admission decision costs in the exact rolling window (`RateWindow`: a ring of
 * the last `limit` admission times, O(1) per decision), against the naive exact log a
 * first implementation would write (filter the timestamps of the last second, then push),
 * in the same run. Both at the default limit of 50, and at 1,000.
 * @module
 */
import { test } from 'vitest'
import { RateWindow } from '../../src/endpoint/rate-window'

/** The naive exact sliding log: correct, but O(admissions in the window) per decision. */
class NaiveLog {
	#times: number[] = []
	constructor(private readonly limit: number) {}
	admit(now: number): boolean {
		this.#times = this.#times.filter((t) => t > now - 1000)
		if (this.#times.length >= this.limit) return false
		this.#times.push(now)
		return true
	}
}

for (const limit of [50, 1000]) {
	// A flood at 10× the limit: one request every 100/limit ms, most of them refused.
	const step = 100 / limit
	test(`rate window admission, limit ${limit}, offered 10× the limit`, async ({ bench }) => {
		const ring = new RateWindow(limit)
		const naive = new NaiveLog(limit)
		let ringNow = 0
		let naiveNow = 0
		await bench.compare(
			bench('RateWindow.admit', () => {
				ringNow += step
				ring.admit(ringNow)
			}),
			bench('naive filtered log', () => {
				naiveNow += step
				naive.admit(naiveNow)
			}),
		)
	})
}
