/**
 * Sender authentication: the contract between the trigger route and the schemes.
 * @module
 */

/** Why a request was not authentic (see RefusalReason in endpoint/activity.ts). */
export type AuthRefusal = 'missing' | 'malformed' | 'timestamp' | 'signature' | 'config'

/** What a scheme may look at: the request exactly as received. */
export interface SignedRequest {
	method: string
	/** The URL the sender used, as seen publicly (see `publicBaseUrl` for proxies). */
	url: string
	/** Request headers (case-insensitive access). */
	headers: Headers
	/** The exact bytes received; signatures are computed over these. */
	rawBody: Uint8Array
	/** Current time in ms since the epoch (injected so tests can pin it). */
	now: number
}

export type AuthResult =
	| {
			ok: true
			/** The sender's own delivery id when the scheme has one (x-github-delivery, webhook-id, ...). */
			deliveryId?: string
	  }
	| {
			ok: false
			/** Extra headers for the 401 (e.g. WWW-Authenticate for basic auth). */
			headers?: Record<string, string>
			/** Why, for the operator's counters only: never sent to the sender. Default `signature`. */
			reason?: AuthRefusal
	  }

/** One failure per reason, shared by every scheme (they carry nothing request-specific). */
export const REFUSED: Readonly<Record<AuthRefusal, AuthResult>> = {
	missing: { ok: false, reason: 'missing' },
	malformed: { ok: false, reason: 'malformed' },
	timestamp: { ok: false, reason: 'timestamp' },
	signature: { ok: false, reason: 'signature' },
	config: { ok: false, reason: 'config' },
}

/** A verifier built once per endpoint config (keys imported once) and reused per request. */
export interface Authenticator {
	readonly type: string
	verify(request: SignedRequest): Promise<AuthResult>
}
