/**
 * Standard Webhooks (and Svix, which uses the same scheme under `svix-` header names):
 * `webhook-signature` is a space-separated list of `v1,<base64 HMAC-SHA256(key,
 * "${webhook-id}.${webhook-timestamp}.${body}")>` entries, one per active secret during a
 * rotation; any v1 entry matching passes and other versions (`v1a`, asymmetric) are
 * skipped. The key is the base64 part of the `whsec_` secret.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 * @see https://docs.svix.com/receiving/verifying-payloads/how-manual
 */
import { base64ToBytes, concatBytes, encodeSignature } from '../encoding'
import { type HmacScheme, inputHeader, MISSING, type SignInput } from '../scheme'
import { parseDigits, timestampProblem, unixSeconds } from '../timestamp'
import { standardWebhooksKey } from './standard-webhooks-key'

type HeaderPrefix = 'webhook' | 'svix'

interface MessageHeaders {
	id: string
	timestamp: string
	signature: string
}

/**
 * The first family present decides; a half-present family is rejected rather than
 * completed from the other one.
 */
function messageHeaders(headers: Headers): MessageHeaders | null {
	for (const prefix of ['webhook', 'svix'] satisfies HeaderPrefix[]) {
		const id = headers.get(`${prefix}-id`)
		const timestamp = headers.get(`${prefix}-timestamp`)
		const signature = headers.get(`${prefix}-signature`)
		if (id === null && timestamp === null && signature === null) continue
		return id && timestamp && signature ? { id, timestamp, signature } : null
	}
	return null
}

function v1Signatures(header: string): Uint8Array[] {
	const signatures: Uint8Array[] = []
	for (const entry of header.split(' ')) {
		const comma = entry.indexOf(',')
		if (comma < 0 || entry.slice(0, comma) !== 'v1') continue
		const signature = base64ToBytes(entry.slice(comma + 1))
		if (signature) signatures.push(signature)
	}
	return signatures
}

function signer(prefix: HeaderPrefix): HmacScheme['sign'] {
	return async (input: SignInput, mac) => {
		const id =
			inputHeader(input, `${prefix}-id`) ??
			inputHeader(input, 'webhook-id') ??
			`msg_${crypto.randomUUID().replaceAll('-', '')}`
		const timestamp = String(unixSeconds(input.now))
		const signature = await mac('SHA-256', concatBytes(`${id}.${timestamp}.`, input.body))
		return {
			[`${prefix}-id`]: id,
			[`${prefix}-timestamp`]: timestamp,
			[`${prefix}-signature`]: `v1,${encodeSignature(signature, 'base64')}`,
		}
	}
}

function standardScheme(signWith: HeaderPrefix): HmacScheme {
	return {
		keyBytes: standardWebhooksKey,
		async parse(request, { toleranceSeconds }) {
			const headers = messageHeaders(request.headers)
			if (!headers) return MISSING
			const t = parseDigits(headers.timestamp)
			const stale = timestampProblem(
				headers.timestamp,
				t === null ? null : t * 1000,
				request.now,
				toleranceSeconds,
			)
			if (stale) return stale
			return {
				hash: 'SHA-256',
				messages: [concatBytes(`${headers.id}.${headers.timestamp}.`, request.rawBody)],
				signatures: v1Signatures(headers.signature),
			}
		},
		deliveryId: (request) => messageHeaders(request.headers)?.id,
		sign: signer(signWith),
	}
}

/** Sends `webhook-*` headers; accepts both families. */
export const standardWebhooks = standardScheme('webhook')
/** Sends `svix-*` headers, as Svix does by default; accepts both families. */
export const svix = standardScheme('svix')
