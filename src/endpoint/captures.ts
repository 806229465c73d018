/**
 * Values a sender's handshake hands over once (Asana's `X-Hook-Secret`, Notion's
 * `verification_token`), kept for the operator to read or adopt as the endpoint's HMAC
 * secret. Such a handshake cannot be authenticated, so anyone could send one: a capture is
 * never adopted by itself, the newest few are kept, and a burst is not recorded past a
 * small budget (each capture is a storage write).
 * @module
 */
import type { HandshakeType } from '../handshakes'

export interface Capture {
	id: string
	type: HandshakeType
	/** The provider's own name for the value. */
	name: string
	value: string
	capturedAt: string
}

/** What the admin API lists: never the value, only a fingerprint to recognise it by. */
export interface CaptureView {
	id: string
	type: HandshakeType
	name: string
	capturedAt: string
	/** The first 12 hex digits of the value's SHA-256. */
	fingerprint: string
}

export const MAX_CAPTURES = 5
/** Captures recorded per minute at most: a flood of forged handovers costs a few writes. */
export const MAX_CAPTURES_PER_MINUTE = 10

/** The kept list with `capture` added (newest first), or null when over the minute's budget. */
export function withCapture(
	list: readonly Capture[],
	capture: Capture,
	now: number,
): Capture[] | null {
	const recent = list.filter((c) => Date.parse(c.capturedAt) > now - 60_000).length
	if (recent >= MAX_CAPTURES_PER_MINUTE) return null
	return [capture, ...list].slice(0, MAX_CAPTURES)
}

export async function captureView(capture: Capture): Promise<CaptureView> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(capture.value))
	const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
	return {
		id: capture.id,
		type: capture.type,
		name: capture.name,
		capturedAt: capture.capturedAt,
		fingerprint: hex.slice(0, 12),
	}
}
