/**
 * Body parsing by content type, as the SPEC's trigger payload describes it. Pure: bytes
 * and a content type in, a parsed value or a parse error out.
 * @module
 */
import {
	getMultipartBoundary,
	MultipartParseError,
	parseMultipart,
} from '@remix-run/multipart-parser'
import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** A parsed value of the trigger payload's `body.data`. */
export type BodyData =
	| null
	| string
	| number
	| boolean
	| Uint8Array
	| BodyData[]
	| { [key: string]: BodyData }

export interface MultipartPartValue {
	data: BodyData
	contentType: string
	filename?: string
}

export type ParseResult =
	| { ok: true; data: unknown }
	| { ok: false; kind: 'json' | 'xml' | 'multipart' | 'form' }

/** The media type without parameters, lower-cased: `application/json; charset=x` → `application/json`. */
export function mediaType(contentType: string | null | undefined): string {
	if (!contentType) return ''
	return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase()
}

export function isJsonType(type: string): boolean {
	return type === 'application/json' || type.endsWith('+json') || type === 'text/json'
}

export function isXmlType(type: string): boolean {
	return type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml')
}

function isTextType(type: string): boolean {
	return (
		type.startsWith('text/') ||
		type === 'application/javascript' ||
		type === 'application/x-ndjson' ||
		type === 'application/graphql'
	)
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false })

/**
 * XML is attacker-controlled, so entity processing is off entirely: no DOCTYPE-declared
 * entities (billion laughs, external entities) and no HTML entities are expanded. The
 * five predefined XML entities stay as written, which is the safe, lossless choice.
 */
const xmlParser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	processEntities: false,
	htmlEntities: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	parseTagValue: true,
	// Identifiers like postal codes and account numbers keep their leading zeros.
	numberParseOptions: { hex: false, leadingZeros: false, eNotation: false },
	trimValues: true,
})

export function parseJson(bytes: Uint8Array): ParseResult {
	const text = utf8.decode(bytes)
	// An empty body with a JSON content type carries no value; it is not malformed
	// (senders probing with GET often set the header anyway).
	if (text.trim() === '') return { ok: true, data: null }
	try {
		return { ok: true, data: JSON.parse(text) as unknown }
	} catch {
		return { ok: false, kind: 'json' }
	}
}

export function parseXml(bytes: Uint8Array): ParseResult {
	const text = utf8.decode(bytes)
	if (text.trim() === '') return { ok: true, data: null }
	if (XMLValidator.validate(text) !== true) return { ok: false, kind: 'xml' }
	try {
		return { ok: true, data: xmlParser.parse(text) as unknown }
	} catch {
		return { ok: false, kind: 'xml' }
	}
}

/** `a=1&a=2&b=3` → `{ a: ['1', '2'], b: '3' }`: repeated keys become arrays. */
export function searchParamsToObject(params: URLSearchParams): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {}
	for (const [key, value] of params) {
		const prev = out[key]
		if (prev === undefined) out[key] = value
		else if (Array.isArray(prev)) prev.push(value)
		else out[key] = [prev, value]
	}
	return out
}

export function parseForm(bytes: Uint8Array): ParseResult {
	return { ok: true, data: searchParamsToObject(new URLSearchParams(utf8.decode(bytes))) }
}

export function parseMultipartBody(bytes: Uint8Array, contentType: string): ParseResult {
	const boundary = getMultipartBoundary(contentType)
	if (!boundary) return { ok: false, kind: 'multipart' }
	const out: Record<string, MultipartPartValue | MultipartPartValue[]> = {}
	try {
		for (const part of parseMultipart(bytes, {
			boundary,
			maxFileSize: Number.MAX_SAFE_INTEGER,
			maxTotalSize: Number.MAX_SAFE_INTEGER,
			maxParts: 1000,
		})) {
			const name = part.name ?? ''
			const partType = part.mediaType ?? (part.filename ? 'application/octet-stream' : 'text/plain')
			const value: MultipartPartValue = {
				data: partData(part.bytes, partType, part.filename !== undefined),
				contentType: part.headers['content-type'] ?? partType,
			}
			if (part.filename !== undefined) value.filename = part.filename
			const prev = out[name]
			if (prev === undefined) out[name] = value
			else if (Array.isArray(prev)) prev.push(value)
			else out[name] = [prev, value]
		}
	} catch (err) {
		if (err instanceof MultipartParseError) return { ok: false, kind: 'multipart' }
		throw err
	}
	return { ok: true, data: out }
}

/** A part's data: JSON parts parsed, file parts kept as bytes, text parts as strings. */
function partData(bytes: Uint8Array, type: string, isFile: boolean): BodyData {
	const media = mediaType(type)
	if (isJsonType(media)) {
		const parsed = parseJson(bytes)
		if (parsed.ok) return parsed.data as BodyData
	}
	if (!isFile && (isTextType(media) || media === '')) return utf8.decode(bytes)
	// `part.bytes` is already a copy the part owns (the library assembles it per access).
	return bytes
}

/**
 * Parses a request body by its content type. Unknown and binary types keep their bytes,
 * text types become strings. Only malformed JSON and XML are errors the sender sees.
 */
export function parseBody(bytes: Uint8Array, contentType: string | null | undefined): ParseResult {
	const type = mediaType(contentType)
	if (isJsonType(type)) return parseJson(bytes)
	if (isXmlType(type)) return parseXml(bytes)
	if (type === 'application/x-www-form-urlencoded') return parseForm(bytes)
	if (type === 'multipart/form-data') return parseMultipartBody(bytes, contentType ?? '')
	if (bytes.byteLength === 0) return { ok: true, data: null }
	if (isTextType(type)) return { ok: true, data: utf8.decode(bytes) }
	return { ok: true, data: bytes }
}
