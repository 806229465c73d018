/**
 * The shape every HMAC scheme (a provider preset or the generic one) implements.
 * @module
 */
import type { HashName } from './keys'
import type { SignedRequest } from './types'

export interface SchemeOptions {
	/** Accepted clock difference for timestamped schemes, in both directions. */
	toleranceSeconds: number
	/** The origin (and path prefix) senders use, for schemes that sign the URL. */
	publicBaseUrl: string | undefined
}

/**
 * Why a request offers nothing to verify, for the operator's refusal counters (see
 * AuthRefusal): its signature or timestamp header is absent, unreadable, or the timestamp
 * is outside the tolerance. Never told to the sender.
 */
export interface Unverifiable {
	refused: 'missing' | 'malformed' | 'timestamp'
}

export const MISSING: Unverifiable = { refused: 'missing' }
export const MALFORMED: Unverifiable = { refused: 'malformed' }
export const STALE: Unverifiable = { refused: 'timestamp' }

/** A header value that did not parse: missing when absent or empty, malformed otherwise. */
export const unreadable = (value: string | null | undefined): Unverifiable =>
	value ? MALFORMED : MISSING

/** What a request offers for verification once its signature headers parse. */
export type SignedParts = HmacParts | TokenParts

/** Signatures to check with HMAC under every configured secret. */
export interface HmacParts {
	hash: HashName
	/** The signed content; several when the scheme accepts more than one form (Twilio's port). */
	messages: Uint8Array[]
	/** Decoded candidate signatures; any one valid under any secret passes. */
	signatures: Uint8Array[]
}

/**
 * A shared secret sent as it is (GitLab's `X-Gitlab-Token`), compared in constant time
 * with every configured secret.
 */
export interface TokenParts {
	token: string
}

/** A request about to be sent, for the reference sender and integration tests. */
export interface SignInput {
	method: string
	url: string
	headers: Record<string, string>
	body: Uint8Array
	/** Current time in ms since the epoch. */
	now: number
}

/** HMAC under the signing secret (the first configured one) with the given hash. */
export type Mac = (hash: HashName, message: Uint8Array) => Promise<Uint8Array>

export interface HmacScheme {
	/** The provider's own replay window, used when the config sets no `toleranceSeconds`. */
	toleranceSeconds?: number
	/** The HMAC key bytes of a configured secret, or null when it is unusable. Default: UTF-8. */
	keyBytes?(secret: string): Uint8Array | null
	/**
	 * The signed parts of a request, or why there are none (headers missing or malformed,
	 * the timestamp outside the tolerance; null counts as malformed). Never throws for
	 * anything a sender controls.
	 */
	parse(request: SignedRequest, options: SchemeOptions): Promise<SignedParts | Unverifiable | null>
	/** The sender's id for the delivery, read only after the signature verified. */
	deliveryId?(request: SignedRequest): string | undefined
	/**
	 * The headers a sender adds to `input` to be accepted. `secret` is the signing key's
	 * bytes, for the schemes that send it as it is (a token); HMAC schemes use `mac`.
	 */
	sign(
		input: SignInput,
		mac: Mac,
		options: SchemeOptions,
		secret: Uint8Array,
	): Promise<Record<string, string>>
}

/** A header of a `SignInput`, looked up case-insensitively as HTTP does. */
export function inputHeader(input: Pick<SignInput, 'headers'>, name: string): string | undefined {
	const lower = name.toLowerCase()
	return Object.entries(input.headers).find(([key]) => key.toLowerCase() === lower)?.[1]
}
