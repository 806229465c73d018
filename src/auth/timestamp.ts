/**
 * Timestamps of timestamped schemes, checked against the injected clock.
 * @module
 */

import { STALE, type Unverifiable, unreadable } from './scheme'

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

/**
 * Null when the timestamp (ms, or null when it did not parse from `text`) is within the
 * tolerance; else why not.
 */
export function timestampProblem(
	text: string | null | undefined,
	ms: number | null,
	nowMs: number,
	toleranceSeconds: number,
): Unverifiable | null {
	if (ms === null) return unreadable(text)
	return withinTolerance(ms, nowMs, toleranceSeconds) ? null : STALE
}

/** Unix seconds for the sender side. */
export const unixSeconds = (nowMs: number): number => Math.floor(nowMs / 1000)

// RFC 3339 date-time as senders write it (Twitch adds nanoseconds, Box an offset). A strict
// pattern rather than Date.parse, whose accepted formats vary between engines.
const RFC3339 =
	/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/i

/** Milliseconds since the epoch of an RFC 3339 date-time, or null. */
export function parseRfc3339(text: string | null | undefined): number | null {
	const m = text ? RFC3339.exec(text) : null
	if (!m) return null
	const [, year, month, day, hour, minute, second, fraction = '', zone, offH, offM] = m
	const ms = Date.UTC(
		Number(year),
		Number(month) - 1,
		Number(day),
		Number(hour),
		Number(minute),
		Number(second),
		Number(fraction.padEnd(3, '0').slice(0, 3)),
	)
	if (Number(month) > 12 || Number(day) > 31 || Number(hour) > 23 || Number(minute) > 59)
		return null
	if (Number(second) > 59 || Number.isNaN(ms)) return null
	if (zone === 'Z' || zone === 'z') return ms
	const offset = (Number(offH) * 60 + Number(offM)) * 60_000
	return zone?.startsWith('-') ? ms + offset : ms - offset
}
