/**
 * Per-request view shared by the providers, so the query string and the body are decoded
 * at most once however many handshakes an endpoint has.
 * @module
 */
import type { HandshakeContext, HandshakeRequest } from './types'

/**
 * Handshake bodies are a few hundred bytes (Slack's url_verification, Zoom's
 * endpoint.url_validation) and an SNS SubscriptionConfirmation is under 2 KB. Larger
 * bodies are ordinary deliveries: skipping them keeps every big Slack or Zoom event from
 * being JSON-parsed twice.
 */
export const MAX_HANDSHAKE_BODY_BYTES = 16 * 1024

const utf8 = new TextDecoder('utf-8')

function isJsonContentType(contentType: string): boolean {
	const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase()
	return type === 'application/json' || type === 'text/json' || type.endsWith('+json')
}

export function createContext(request: HandshakeRequest): HandshakeContext {
	const method = request.method.toUpperCase()
	let body: Record<string, unknown> | null | undefined
	const parsed = () => {
		if (body === undefined) body = parseSmallJsonObject(method, request)
		return body
	}
	return {
		request,
		method,
		query(name) {
			// URLSearchParams applies form decoding (percent-escapes and '+' as space), which is
			// what "URL-decoded" means for the query strings these providers send.
			const value = request.url.searchParams.get(name)
			return value ? value : null
		},
		header(name) {
			const value = request.headers.get(name)
			return value ? value : null
		},
		jsonObject() {
			return isJsonContentType(request.contentType) ? parsed() : null
		},
		jsonObjectOfAnyType: parsed,
	}
}

function parseSmallJsonObject(
	method: string,
	request: HandshakeRequest,
): Record<string, unknown> | null {
	if (method !== 'POST') return null
	const size = request.rawBody.byteLength
	if (size === 0 || size > MAX_HANDSHAKE_BODY_BYTES) return null
	let value: unknown
	try {
		value = JSON.parse(utf8.decode(request.rawBody))
	} catch {
		// Malformed JSON is not a handshake; the route's own parser answers it with a 400.
		return null
	}
	return isObject(value) ? value : null
}

export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A non-empty string field, or null. */
export function stringField(object: Record<string, unknown> | null, key: string): string | null {
	const value = object?.[key]
	return typeof value === 'string' && value !== '' ? value : null
}

/**
 * The value of an object whose only field is `key` (monday.com's `{"challenge"}`, Notion's
 * `{"verification_token"}`): a delivery that merely carries such a field is not a handshake.
 */
export function soleStringField(
	object: Record<string, unknown> | null,
	key: string,
): string | null {
	if (!object) return null
	const keys = Object.keys(object)
	return keys.length === 1 && keys[0] === key ? stringField(object, key) : null
}
