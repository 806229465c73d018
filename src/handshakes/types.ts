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
	 * True when the provider signs its handshake like any delivery (Slack, Zoom): the
	 * route must pass the endpoint's authentication before calling `answer()`. False when
	 * the provider cannot sign it (GET probes): `answer()` carries its own check, if any.
	 */
	signedByProvider: boolean
	/** Builds the response; for provider-signed handshakes call it only after authentication. */
	answer(): Promise<Response>
}

/** What a provider sees: the request plus cheap, memoised accessors shared by all providers. */
export interface HandshakeContext {
	readonly request: HandshakeRequest
	/** Upper-cased method. */
	readonly method: string
	/** A URL-decoded query parameter; null when absent or empty. */
	query(name: string): string | null
	/** The body as a JSON object when it is a small POST with a JSON content type; else null. */
	jsonObject(): Record<string, unknown> | null
}

export interface HandshakeProvider<C extends HandshakeConfig> {
	readonly signedByProvider: boolean
	/** Recognises the request without doing any crypto; returns the answer builder or null. */
	match(config: C, context: HandshakeContext): (() => Promise<Response>) | null
}
