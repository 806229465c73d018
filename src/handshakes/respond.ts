/**
 * The answers handshakes send. Every value a sender chose is echoed in a response that
 * a browser will not render as HTML: a handshake URL is public and unauthenticated, so it
 * must not become a reflected-XSS gadget on the gateway's origin.
 * @module
 */
import { jsonError } from '../lib/errors'

/** The answer is specific to one challenge; no cache may keep or replay it. */
const COMMON = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const

/** 200 with `value` as the whole body, as text/plain. */
export function echoText(value: string): Response {
	return new Response(value, {
		status: 200,
		headers: { 'content-type': 'text/plain; charset=utf-8', ...COMMON },
	})
}

/** 200 with a JSON body (Zoom, X). */
export function jsonAnswer(value: Record<string, string>): Response {
	return new Response(JSON.stringify(value), {
		status: 200,
		headers: { 'content-type': 'application/json; charset=utf-8', ...COMMON },
	})
}

/** A handshake that failed its own check; the body never echoes what was sent. */
export function verificationFailed(): Response {
	return jsonError(403, 'Webhook verification failed.', { ...COMMON })
}
