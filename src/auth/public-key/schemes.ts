/**
 * Asymmetric provider schemes: the provider signs with its private key, the endpoint is
 * configured with the public key and verifies with Web Crypto.
 * @module
 */
import { base64ToBytes, concatBytes, encodeSignature, hexToBytes } from '../encoding'
import { jsonIdField } from '../json-field'
import type { KeyedPreset } from '../schema'
import { type Unverifiable, unreadable } from '../scheme'
import { parseDigits, timestampProblem, unixSeconds } from '../timestamp'
import type { SignedRequest } from '../types'
import { derToRaw, rawToDer } from './ecdsa-der'
import { ed25519PublicKey, p256PublicKey } from './keys'

/** What a request offers: the signed bytes and the signature in Web Crypto's form. */
export interface AsymmetricParts {
	message: Uint8Array
	signature: Uint8Array
}

// Derived from the runtime's own signatures: workerd and Node name these types differently.
type KeyAlgorithm = Parameters<typeof crypto.subtle.importKey>[2]
type SignatureAlgorithm = Parameters<typeof crypto.subtle.verify>[0]

export interface PublicKeyScheme {
	/** The algorithm for importKey, and the one for sign and verify. */
	readonly key: KeyAlgorithm
	readonly signature: SignatureAlgorithm
	/** The provider's public key as shown to users, in `importKey` form, or null. */
	publicKey(text: string): { format: 'raw' | 'spki'; data: Uint8Array } | null
	/** The signed parts, or why there are none (see Unverifiable). */
	parse(request: SignedRequest, toleranceSeconds: number): AsymmetricParts | Unverifiable
	deliveryId?(request: SignedRequest): string | undefined
	/** The headers a sender with the private key adds, given the signature over `message`. */
	sign(
		body: Uint8Array,
		now: number,
		signWith: (message: Uint8Array) => Promise<Uint8Array>,
	): Promise<Record<string, string>>
}

/** A seconds timestamp header within the tolerance: its text as sent, or why not. */
function freshTimestamp(
	request: SignedRequest,
	header: string,
	toleranceSeconds: number,
): { text: string } | Unverifiable {
	const text = request.headers.get(header)
	const t = parseDigits(text)
	const problem = timestampProblem(
		text,
		t === null ? null : t * 1000,
		request.now,
		toleranceSeconds,
	)
	return problem ?? { text: text ?? '' }
}

/**
 * Discord interactions: `X-Signature-Ed25519: <hex Ed25519 signature of timestamp + body>`
 * with `X-Signature-Timestamp` (Unix seconds), under the application's public key.
 * @see https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint-validating-security-request-headers
 */
export const discord: PublicKeyScheme = {
	key: { name: 'Ed25519' },
	signature: { name: 'Ed25519' },
	publicKey(text) {
		const data = ed25519PublicKey(text)
		return data ? { format: 'raw', data } : null
	},
	parse(request, toleranceSeconds) {
		const header = request.headers.get('x-signature-ed25519')
		const signature = header === null ? null : hexToBytes(header.trim())
		if (signature?.length !== 64) return unreadable(header)
		const timestamp = freshTimestamp(request, 'x-signature-timestamp', toleranceSeconds)
		if ('refused' in timestamp) return timestamp
		return { message: concatBytes(timestamp.text, request.rawBody), signature }
	},
	// The interaction id: Discord sends each interaction once.
	deliveryId: (request) => jsonIdField(request.rawBody, 'id'),
	async sign(body, now, signWith) {
		const timestamp = String(unixSeconds(now))
		const signature = await signWith(concatBytes(timestamp, body))
		return {
			'X-Signature-Ed25519': encodeSignature(signature, 'hex'),
			'X-Signature-Timestamp': timestamp,
		}
	},
}

/**
 * SendGrid signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature: <base64 DER
 * ECDSA P-256 SHA-256 signature of timestamp + body>` with
 * `X-Twilio-Email-Event-Webhook-Timestamp` (Unix seconds), under the verification key.
 * @see https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 */
export const sendgrid: PublicKeyScheme = {
	key: { name: 'ECDSA', namedCurve: 'P-256' },
	signature: { name: 'ECDSA', hash: 'SHA-256' },
	publicKey(text) {
		const data = p256PublicKey(text)
		return data ? { format: 'spki', data } : null
	},
	parse(request, toleranceSeconds) {
		const header = request.headers.get('x-twilio-email-event-webhook-signature')
		const der = header === null ? null : base64ToBytes(header.trim())
		const signature = der ? derToRaw(der, 32) : null
		if (!signature) return unreadable(header)
		const timestamp = freshTimestamp(
			request,
			'x-twilio-email-event-webhook-timestamp',
			toleranceSeconds,
		)
		if ('refused' in timestamp) return timestamp
		return { message: concatBytes(timestamp.text, request.rawBody), signature }
	},
	async sign(body, now, signWith) {
		const timestamp = String(unixSeconds(now))
		const raw = await signWith(concatBytes(timestamp, body))
		return {
			'X-Twilio-Email-Event-Webhook-Signature': encodeSignature(rawToDer(raw), 'base64'),
			'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
		}
	},
}

export const PUBLIC_KEY_SCHEMES: Readonly<Record<KeyedPreset, PublicKeyScheme>> = {
	discord,
	sendgrid,
}
