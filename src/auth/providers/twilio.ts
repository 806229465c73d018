/**
 * Twilio: `X-Twilio-Signature: <base64 HMAC-SHA1(auth token, url + params)>`. The URL is
 * the full URL Twilio requested (with query). For `application/x-www-form-urlencoded`
 * bodies the POST parameters follow it, sorted by name, each as name + value with no
 * separators (repeated names: each distinct value, sorted, as Twilio's helper library
 * does). Other bodies are bound by a `bodySHA256=<hex SHA-256 of the body>` query
 * parameter, and the signature covers the URL alone. As Twilio's libraries do, the URL is
 * tried both without a port and with the scheme's default port.
 * @see https://www.twilio.com/docs/usage/webhooks/webhooks-security
 * @see https://github.com/twilio/twilio-node/blob/main/src/webhooks/webhooks.ts
 */
import { timingSafeEqualStrings } from '../../lib/timing-safe'
import { base64ToBytes, encodeSignature, utf8 } from '../encoding'
import { publicUrl } from '../public-url'
import { type HmacScheme, inputHeader, MALFORMED, unreadable } from '../scheme'

const decoder = new TextDecoder()

function isForm(contentType: string | null | undefined): boolean {
	const mime = contentType?.split(';')[0]?.trim().toLowerCase()
	return mime === 'application/x-www-form-urlencoded'
}

/** Parameters as Twilio signs them: names sorted, each distinct value sorted. */
export function signedParams(body: Uint8Array): string {
	const values = new Map<string, Set<string>>()
	for (const [name, value] of new URLSearchParams(decoder.decode(body))) {
		const set = values.get(name) ?? new Set<string>()
		set.add(value)
		values.set(name, set)
	}
	let out = ''
	for (const name of [...values.keys()].sort()) {
		for (const value of [...(values.get(name) ?? [])].sort()) out += name + value
	}
	return out
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i

/** The URL without an explicit port and with the default one (deduplicated). */
export function portVariants(url: string): string[] {
	const match = AUTHORITY.exec(url)
	if (!match) return [url]
	const [prefix, scheme = '', authority = ''] = match
	const rest = url.slice(prefix.length)
	const at = authority.lastIndexOf('@')
	const userInfo = authority.slice(0, at + 1)
	const hostPort = authority.slice(at + 1)
	// A colon starts the port only after the closing bracket of an IPv6 literal.
	const colon = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1)
	const host = colon < 0 ? hostPort : hostPort.slice(0, colon)
	const withoutPort = `${scheme}${userInfo}${host}${rest}`
	if (colon >= 0) return [withoutPort, url]
	const port = scheme.toLowerCase() === 'https://' ? ':443' : ':80'
	return [withoutPort, `${scheme}${userInfo}${host}${port}${rest}`]
}

async function sha256Hex(body: Uint8Array): Promise<string> {
	return encodeSignature(new Uint8Array(await crypto.subtle.digest('SHA-256', body)), 'hex')
}

/** What follows the URL in the signed string, or null when the body is not bound. */
async function signedSuffix(
	url: string,
	contentType: string | null | undefined,
	body: Uint8Array,
): Promise<string | null> {
	const bodyHash = new URL(url).searchParams.get('bodySHA256')
	if (bodyHash !== null) {
		return (await timingSafeEqualStrings(await sha256Hex(body), bodyHash)) ? '' : null
	}
	if (isForm(contentType)) return signedParams(body)
	// A body Twilio neither parameterised nor hashed would be unauthenticated.
	return body.length === 0 ? '' : null
}

/**
 * The URL a sender posts `body` to: a body Twilio does not send as form parameters is
 * bound by `bodySHA256=<hex SHA-256 of the body>` in the query, as Twilio itself does.
 * A URL that already carries one, a form body or an empty body is returned as it is.
 */
export async function bindBody(
	url: string,
	contentType: string | null | undefined,
	body: Uint8Array,
): Promise<string> {
	if (isForm(contentType) || body.length === 0) return url
	const parsed = new URL(url)
	if (parsed.searchParams.has('bodySHA256')) return url
	// Appended as text, as Twilio does: the rest of the query keeps its exact encoding.
	parsed.hash = ''
	const base = parsed.href
	const separator = base.endsWith('?') ? '' : parsed.search ? '&' : '?'
	return `${base}${separator}bodySHA256=${await sha256Hex(body)}`
}

export const twilio: HmacScheme = {
	async parse(request, { publicBaseUrl }) {
		const header = request.headers.get('x-twilio-signature')
		const signature = header === null ? null : base64ToBytes(header.trim())
		if (!signature) return unreadable(header)
		const url = publicUrl(request.url, publicBaseUrl)
		const suffix = await signedSuffix(url, request.headers.get('content-type'), request.rawBody)
		if (suffix === null) return MALFORMED
		return {
			hash: 'SHA-1',
			messages: portVariants(url).map((u) => utf8(u + suffix)),
			signatures: [signature],
		}
	},
	async sign(input, mac, { publicBaseUrl }) {
		const url = publicUrl(input.url, publicBaseUrl)
		const contentType = inputHeader(input, 'content-type')
		const suffix = await signedSuffix(url, contentType, input.body)
		if (suffix === null) {
			throw new Error(
				'twilio: a body that is not a form must be bound by a matching bodySHA256 query parameter',
			)
		}
		const signature = await mac('SHA-1', utf8(url + suffix))
		return { 'X-Twilio-Signature': encodeSignature(signature, 'base64') }
	},
}
