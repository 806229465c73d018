/**
 * The rate limiter's exactness, judged from the gateway's own admission times.
 *
 * SPEC: at most N admissions in any rolling 1-second window, i.e. in (t - 1000, t] for
 * every t. Timestamps are whole milliseconds (the execution records' `receivedAt`), so
 * sweeping every integer t is exact, and at ~10k points per round it is also cheap.
 * @module
 */

/**
 * The largest number of admissions in any window (t - windowMs, t].
 * Only windows ending on an admission can be maximal, so those are the ones checked.
 * @param {number[]} times admission times in ms, any order
 * @param {number} [windowMs]
 * @returns {{ max: number, at: number | null }}
 */
export function maxInWindow(times, windowMs = 1000) {
	const t = [...times].sort((a, b) => a - b)
	let max = 0
	let at = null
	let lo = 0
	for (let hi = 0; hi < t.length; hi++) {
		while (t[lo] <= t[hi] - windowMs) lo++
		if (hi - lo + 1 > max) {
			max = hi - lo + 1
			at = t[hi]
		}
	}
	return { max, at }
}

/**
 * The smallest number of admissions in a window (t - windowMs, t], over every whole-ms t
 * in [from, to]. Callers choose [from, to] so each window lies inside a period of
 * sustained over-limit demand; outside one, a low count says nothing about the limiter.
 * @param {number[]} times admission times in ms, any order
 * @param {number} from first window end (ms)
 * @param {number} to last window end (ms)
 * @param {number} [windowMs]
 * @returns {{ min: number, at: number | null }}
 */
export function minInWindow(times, from, to, windowMs = 1000) {
	if (to < from) return { min: Number.NaN, at: null }
	const t = [...times].sort((a, b) => a - b)
	let lo = 0
	let hi = 0
	let min = Number.POSITIVE_INFINITY
	let at = null
	for (let end = Math.ceil(from); end <= to; end++) {
		while (hi < t.length && t[hi] <= end) hi++
		while (lo < hi && t[lo] <= end - windowMs) lo++
		if (hi - lo < min) {
			min = hi - lo
			at = end
		}
	}
	return { min, at }
}

/**
 * The longest stretch inside [from, to] during which the window had room (fewer than
 * `limit` admissions in it) and yet nothing was admitted. Under sustained over-limit
 * demand that is time the requests were not reaching the limiter: a stall in the
 * gateway, or in the load generator (the caller checks which).
 * @param {number[]} times admission times in ms, any order
 * @param {number} limit
 * @param {number} from
 * @param {number} to
 * @param {number} [windowMs]
 * @returns {{ ms: number, start: number | null, end: number | null }}
 */
export function longestStarvation(times, limit, from, to, windowMs = 1000) {
	const t = [...times].sort((a, b) => a - b)
	const admittedAt = new Set(t)
	let lo = 0
	let hi = 0
	let best = { ms: 0, start: null, end: null }
	let runStart = null
	for (let end = Math.ceil(from); end <= to; end++) {
		while (hi < t.length && t[hi] <= end) hi++
		while (lo < hi && t[lo] <= end - windowMs) lo++
		const starving = hi - lo < limit && !admittedAt.has(end)
		if (starving) {
			runStart ??= end
			if (end - runStart + 1 > best.ms) best = { ms: end - runStart + 1, start: runStart, end }
		} else {
			runStart = null
		}
	}
	return best
}
