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

/**
 * 200 with no body: the status (and for Asana the echoed header) is the whole answer.
 * `extra` carries provider headers; the common ones cannot be overridden by it.
 */
export function emptyAnswer(extra: Record<string, string> = {}): Response {
	return new Response(null, { status: 200, headers: { ...extra, ...COMMON } })
}

/** 200 with a JSON body (Zoom, X, Okta, monday.com, Strava, Adobe). */
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

/**
 * WebSub's refusal: a subscriber that "does not agree with the action" MUST answer 404
 * (W3C WebSub §5.3). The body never echoes what was sent.
 */
export function verificationNotAgreed(): Response {
	return jsonError(404, 'Webhook verification failed.', { ...COMMON })
}

/**
 * The provider's confirmation URL could not be reached or refused us (AWS SNS): a 5xx so
 * the provider redelivers the handshake later. Which call failed stays internal.
 */
export function confirmationFailed(): Response {
	return jsonError(502, 'Subscription confirmation failed; please retry.', { ...COMMON })
}
