/**
 * HubSpot (signature v3): `X-HubSpot-Signature-v3: <base64 HMAC-SHA256(client secret,
 * method + URI + body + timestamp)>` with `X-HubSpot-Request-Timestamp` in milliseconds.
 * The URI is the full URL requested, with the percent-encodings HubSpot lists decoded.
 * @see https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/request-validation
 * @see https://github.com/HubSpot/hubspot-api-python/blob/master/hubspot/utils/signature.py
 */
import { base64ToBytes, concatBytes, encodeSignature } from '../encoding'
import { publicUrl } from '../public-url'
import { type HmacScheme, MISSING, unreadable } from '../scheme'
import { parseDigits, timestampProblem } from '../timestamp'

// Exactly the table in HubSpot's v3 instructions; every other escape stays as received.
const DECODED: Record<string, string> = {
	'%3A': ':',
	'%2F': '/',
	'%3F': '?',
	'%40': '@',
	'%21': '!',
	'%24': '$',
	'%27': "'",
	'%28': '(',
	'%29': ')',
	'%2A': '*',
	'%2C': ',',
	'%3B': ';',
}

export function hubspotUri(url: string): string {
	return url.replace(
		/%(?:3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
		(m) => DECODED[m.toUpperCase()] ?? m,
	)
}

export const hubspot: HmacScheme = {
	async parse(request, { toleranceSeconds, publicBaseUrl }) {
		const timestamp = request.headers.get('x-hubspot-request-timestamp')
		const header = request.headers.get('x-hubspot-signature-v3')
		if (!timestamp && !header) return MISSING
		const stale = timestampProblem(timestamp, parseDigits(timestamp), request.now, toleranceSeconds)
		if (stale) return stale
		const signature = header === null ? null : base64ToBytes(header.trim())
		if (!signature) return unreadable(header)
		const uri = hubspotUri(publicUrl(request.url, publicBaseUrl))
		return {
			hash: 'SHA-256',
			messages: [concatBytes(`${request.method}${uri}`, request.rawBody, String(timestamp))],
			signatures: [signature],
		}
	},
	async sign(input, mac, { publicBaseUrl }) {
		const timestamp = String(Math.floor(input.now))
		const uri = hubspotUri(publicUrl(input.url, publicBaseUrl))
		const signature = await mac(
			'SHA-256',
			concatBytes(`${input.method}${uri}`, input.body, timestamp),
		)
		return {
			'X-HubSpot-Request-Timestamp': timestamp,
			'X-HubSpot-Signature-v3': encodeSignature(signature, 'base64'),
		}
	},
}
