/**
 * Timestamps of timestamped schemes, checked against the injected clock.
 * @module
 */

export const DEFAULT_TOLERANCE_SECONDS = 300

// Digits only: no sign, exponent, fraction or whitespace that Number() would accept.
const DIGITS = /^\d{1,16}$/

/** A non-negative integer as a sender wrote it, or null. */
export function parseDigits(text: string | null | undefined): number | null {
	if (text === null || text === undefined || !DIGITS.test(text)) return null
	return Number(text)
}

/** True when `timestampMs` is at most `toleranceSeconds` older or newer than `nowMs`. */
export function withinTolerance(
	timestampMs: number,
	nowMs: number,
	toleranceSeconds: number,
): boolean {
	return Math.abs(nowMs - timestampMs) <= toleranceSeconds * 1000
}

/** Unix seconds for the sender side. */
export const unixSeconds = (nowMs: number): number => Math.floor(nowMs / 1000)
