/**
 * The contract between the handshake matcher, its providers and the trigger route.
 * @module
 */
import type { HandshakeConfig, HandshakeType } from './schema'

/** The request as the trigger route has already read it (body bytes in hand). */
export interface HandshakeRequest {
	method: string
	url: URL
	headers: Headers
	contentType: string
	rawBody: Uint8Array
}

/** A recognised handshake whose answer has not been built yet. */
export interface HandshakeMatch {
	type: HandshakeType
	/**
	 * True when the provider signs or authenticates its handshake like any delivery (Slack,
	 * Zoom, Twitch, SNS; Okta and Google send their auth headers): the route must pass the
	 * endpoint's authentication before calling `answer()`. False when the provider cannot
	 * (GET probes, secret handovers): `answer()` carries its own check, if any.
	 */
	signedByProvider: boolean
	/** Builds the response; for provider-signed handshakes call it only after authentication. */
	answer(): Promise<Response>
	/**
	 * A value the provider hands over once and the operator must keep (Asana's
	 * `X-Hook-Secret`, Notion's `verification_token`): the gateway should store it where
	 * the operator can read or adopt it, before answering. Never logged, never echoed in
	 * an error. Absent for handshakes that hand over nothing.
	 */
	capture?: HandshakeCapture
}

/** A secret a handshake delivered, named as the provider names it. */
export interface HandshakeCapture {
	/** The provider's own name for the value: `X-Hook-Secret`, `verification_token`. */
	name: string
	value: string
}

/** What a provider sees: the request plus cheap, memoised accessors shared by all providers. */
export interface HandshakeContext {
	readonly request: HandshakeRequest
	/** Upper-cased method. */
	readonly method: string
	/** A URL-decoded query parameter; null when absent or empty. */
	query(name: string): string | null
	/** A request header; null when absent or empty. */
	header(name: string): string | null
	/** The body as a JSON object when it is a small POST with a JSON content type; else null. */
	jsonObject(): Record<string, unknown> | null
	/**
	 * `jsonObject` without the content-type check, for senders that label JSON otherwise
	 * (AWS SNS posts `text/plain; charset=UTF-8`). Still small POSTs only.
	 */
	jsonObjectOfAnyType(): Record<string, unknown> | null
}

export interface HandshakeProvider<C extends HandshakeConfig> {
	readonly signedByProvider: boolean
	/** Recognises the request without doing any crypto; returns the answer builder or null. */
	match(config: C, context: HandshakeContext): (() => Promise<Response>) | null
	/** For a matched request, the value the operator must keep (see `HandshakeMatch.capture`). */
	capture?(context: HandshakeContext): HandshakeCapture | null
}
