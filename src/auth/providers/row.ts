/**
 * The common HMAC shape as data: a provider that differs from another only in header
 * names, digest, encoding, signed-content template, timestamp, delivery id and key
 * decoding is one `HmacRow` (see rows.ts), turned into a scheme here.
 * @module
 */
import { concatBytes, decodeSignature, encodeSignature } from '../encoding'
import { jsonIdField } from '../json-field'
import type { HashName } from '../keys'
import { publicUrl } from '../public-url'
import { type HmacScheme, inputHeader, MALFORMED, MISSING, type SignInput } from '../scheme'
import { parseDigits, parseRfc3339, timestampProblem, unixSeconds } from '../timestamp'
import type { SignedRequest } from '../types'
import { keyValueItems, prefixedSignature } from './signature-header'

/** How the digest sits in the signature header. */
export type SignatureFormat =
	/** `<prefix><digest>`, e.g. `sha256=ab12…` or a bare digest with an empty prefix. */
	| { prefix: string }
	/**
	 * A list of `key=value` items (`t=1,v1=ab,v1=cd`): the digests are every item named
	 * `signature`; the timestamp, when the row has one without a header, the single item
	 * named `timestamp`.
	 */
	| { separator: ',' | ';'; signature: string; timestamp?: string }

export interface HmacRow {
	/** The header carrying the signature; with several (Box), any one may match. */
	header: string | readonly [string, ...string[]]
	hash: HashName
	encoding: 'hex' | 'base64'
	format: SignatureFormat
	/**
	 * The signed content: literal text around `{body}`, `{timestamp}` (as sent), `{id}`
	 * (the `id` header) and `{url}` (the public URL requested).
	 */
	content: string
	timestamp?: {
		/** The header carrying it; absent when it is an item of a list format. */
		header?: string
		/** `s` and `ms` since the epoch, or an RFC 3339 date-time. */
		unit: 's' | 'ms' | 'rfc3339'
		/** The provider's documented replay window, when it differs from the default. */
		toleranceSeconds?: number
	}
	/** The header whose value `{id}` stands for. */
	id?: string
	/** The sender's delivery id: a header, or a top-level (or dotted) field of a JSON body. */
	deliveryId?: { header: string } | { json: string }
	/** Headers the provider sends with fixed values, which must match (Box's version). */
	fixed?: Readonly<Record<string, string>>
	/** The HMAC key of a configured secret (default: its UTF-8 bytes). */
	keyBytes?(secret: string): Uint8Array | null
}

type Field = 'body' | 'timestamp' | 'id' | 'url'
type Part = { text: string } | { field: Field }

const FIELD = /^\{(body|timestamp|id|url)\}$/

/** The template split into literal text and fields, once per row. */
export function templateParts(content: string): Part[] {
	const parts: Part[] = []
	for (const piece of content.split(/(\{(?:body|timestamp|id|url)\})/)) {
		if (!piece) continue
		const field = FIELD.exec(piece)?.[1] as Field | undefined
		parts.push(field ? { field } : { text: piece })
	}
	return parts
}

type Values = { body: Uint8Array } & Record<Exclude<Field, 'body'>, string>

function render(parts: readonly Part[], values: Values): Uint8Array {
	return concatBytes(...parts.map((p) => ('text' in p ? p.text : values[p.field])))
}

function timestampMs(text: string, unit: 's' | 'ms' | 'rfc3339'): number | null {
	if (unit === 'rfc3339') return parseRfc3339(text)
	const n = parseDigits(text)
	return n === null ? null : unit === 's' ? n * 1000 : n
}

function formatTimestamp(nowMs: number, unit: 's' | 'ms' | 'rfc3339'): string {
	if (unit === 'rfc3339') return new Date(nowMs).toISOString()
	return String(unit === 's' ? unixSeconds(nowMs) : Math.floor(nowMs))
}

const headerList = (row: HmacRow): readonly string[] =>
	typeof row.header === 'string' ? [row.header] : row.header

/** The digests and list timestamp a request offers, or null when malformed. */
function offered(
	row: HmacRow,
	headers: Headers,
): { signatures: Uint8Array[]; listTimestamp?: string } | null {
	const values = headerList(row).map((h) => headers.get(h))
	const format = row.format
	if ('prefix' in format) {
		const signatures = values
			.map((v) => prefixedSignature(v, format.prefix, row.encoding))
			.filter((s): s is Uint8Array => s !== null)
		return signatures.length > 0 ? { signatures } : null
	}
	const [value] = values
	if (value === null || value === undefined) return null
	const items = keyValueItems(value, format.separator)
	const signatures = items
		.filter(([k]) => k === format.signature)
		.map(([, v]) => decodeSignature(v, row.encoding))
		.filter((s): s is Uint8Array => s !== null)
	if (signatures.length === 0) return null
	if (!format.timestamp) return { signatures }
	const timestamps = items.filter(([k]) => k === format.timestamp)
	// Exactly one timestamp: two would leave open which one the signature covers.
	if (timestamps.length !== 1) return null
	return { signatures, listTimestamp: timestamps[0]?.[1] }
}

function deliveryIdOf(row: HmacRow, request: SignedRequest): string | undefined {
	const source = row.deliveryId
	if (!source) return undefined
	if ('header' in source) return request.headers.get(source.header) || undefined
	return jsonIdField(request.rawBody, source.json)
}

export function rowScheme(row: HmacRow): HmacScheme {
	const parts = templateParts(row.content)
	const listFormat = 'separator' in row.format ? row.format : null
	return {
		toleranceSeconds: row.timestamp?.toleranceSeconds,
		keyBytes: row.keyBytes,
		async parse(request, { toleranceSeconds, publicBaseUrl }) {
			const found = offered(row, request.headers)
			if (!found) return headerList(row).some((h) => request.headers.get(h)) ? MALFORMED : MISSING
			for (const [name, value] of Object.entries(row.fixed ?? {})) {
				if (request.headers.get(name) !== value) return MALFORMED
			}
			let timestamp = ''
			if (row.timestamp) {
				const text = row.timestamp.header
					? request.headers.get(row.timestamp.header)
					: found.listTimestamp
				const ms = text ? timestampMs(text, row.timestamp.unit) : null
				const problem = timestampProblem(text, ms, request.now, toleranceSeconds)
				if (problem) return problem
				timestamp = text ?? ''
			}
			const id = row.id ? request.headers.get(row.id) : ''
			if (id === null || (row.id && !id)) return MISSING
			const url = publicUrl(request.url, publicBaseUrl)
			return {
				hash: row.hash,
				messages: [render(parts, { body: request.rawBody, timestamp, id, url })],
				signatures: found.signatures,
			}
		},
		deliveryId: (request) => deliveryIdOf(row, request),
		async sign(input: SignInput, mac, { publicBaseUrl }) {
			const headers: Record<string, string> = { ...row.fixed }
			const timestamp = row.timestamp ? formatTimestamp(input.now, row.timestamp.unit) : ''
			if (row.timestamp?.header) headers[row.timestamp.header] = timestamp
			let id = ''
			if (row.id) {
				id = inputHeader(input, row.id) ?? crypto.randomUUID()
				headers[row.id] = id
			}
			const url = publicUrl(input.url, publicBaseUrl)
			const digest = encodeSignature(
				await mac(row.hash, render(parts, { body: input.body, timestamp, id, url })),
				row.encoding,
			)
			const [header] = headerList(row)
			headers[header as string] = listFormat
				? [
						...(listFormat.timestamp ? [`${listFormat.timestamp}=${timestamp}`] : []),
						`${listFormat.signature}=${digest}`,
					].join(listFormat.separator)
				: `${'prefix' in row.format ? row.format.prefix : ''}${digest}`
			return headers
		},
	}
}
