/**
 * Percentiles and rates over raw samples. Rounds are merged by concatenating samples,
 * never by averaging per-round percentiles (an average of p99s is not a p99).
 * @module
 */

/**
 * Nearest-rank percentile of unsorted values; NaN for an empty list.
 * @param {number[]} values
 * @param {number} p 0..100
 */
export function percentile(values, p) {
	if (values.length === 0) return Number.NaN
	const sorted = Float64Array.from(values).sort()
	const rank = Math.ceil((p / 100) * sorted.length)
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

/**
 * Counts per status code.
 * @param {Iterable<number>} statuses
 * @returns {Record<string, number>}
 */
export function countStatuses(statuses) {
	/** @type {Record<string, number>} */
	const counts = {}
	for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1
	return counts
}

/**
 * Sums several `{ status: count }` maps.
 * @param {Array<Record<string, number>>} maps
 */
export function mergeCounts(maps) {
	/** @type {Record<string, number>} */
	const out = {}
	for (const m of maps) for (const [k, v] of Object.entries(m)) out[k] = (out[k] ?? 0) + v
	return out
}

/** Rounds to a sensible number of significant digits for a table. */
export function round(n, digits = 1) {
	if (!Number.isFinite(n)) return null
	const f = 10 ** digits
	return Math.round(n * f) / f
}

/** a / b, or null when b is 0 or either is missing. */
export function ratio(a, b) {
	return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN
}
