/**
 * What body parsing costs per content type: the gateway's `parseBody` (media type, then
 * the parser SPEC's payload asks for) against the least the same content needs, in the
 * same run: `JSON.parse` of the decoded text for JSON, fast-xml-parser's `parse` without
 * the validation pass for XML, `URLSearchParams` for forms, the multipart library's own
 * part iteration for multipart, the decode alone for text.
 * @module
 */
import { parseMultipart } from '@remix-run/multipart-parser'
import { XMLParser } from 'fast-xml-parser'
import { test } from 'vitest'
import { concatBytes } from '../../src/lib/encoding'
import { parseBody } from '../../src/trigger/parse-body'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const enc = (s: string) => encoder.encode(s)

/** A GitHub-like JSON event of about `size` bytes. */
function jsonEvent(size: number): Uint8Array {
	const items: unknown[] = []
	let text = ''
	for (let i = 0; text.length < size; i++) {
		items.push({ id: i, name: `item-${i}`, labels: ['bug', 'p1'], open: i % 2 === 0 })
		text = JSON.stringify({ action: 'opened', repository: { full_name: 'acme/site' }, items })
	}
	return enc(text)
}

function xmlOrder(size: number): Uint8Array {
	let lines = ''
	for (let i = 0; lines.length < size; i++)
		lines += `<line n="${i}"><sku>A-${i}</sku><qty>${i % 5}</qty></line>`
	return enc(`<?xml version="1.0"?><order id="7">${lines}</order>`)
}

function form(size: number): Uint8Array {
	const params = new URLSearchParams()
	for (let i = 0; params.toString().length < size; i++) params.append(`field${i}`, `value ${i}`)
	return enc(params.toString())
}

const BOUNDARY = 'bench-boundary'
function multipart(size: number): Uint8Array {
	const file = new Uint8Array(size)
	for (let i = 0; i < size; i++) file[i] = i % 251
	return concatBytes(
		`--${BOUNDARY}\r\nContent-Disposition: form-data; name="meta"\r\nContent-Type: application/json\r\n\r\n`,
		'{"kind":"invoice","id":42}',
		`\r\n--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
		file,
		`\r\n--${BOUNDARY}--\r\n`,
	)
}

const xmlParser = new XMLParser({ ignoreAttributes: false, processEntities: false })

const cases: Array<{
	label: string
	type: string
	bytes: Uint8Array
	least: (b: Uint8Array) => unknown
}> = [
	{
		label: 'JSON 1 KB',
		type: 'application/json',
		bytes: jsonEvent(1024),
		least: (b) => JSON.parse(decoder.decode(b)),
	},
	{
		label: 'JSON 64 KB',
		type: 'application/json',
		bytes: jsonEvent(64 * 1024),
		least: (b) => JSON.parse(decoder.decode(b)),
	},
	{
		label: 'XML 1 KB',
		type: 'text/xml',
		bytes: xmlOrder(1024),
		least: (b) => xmlParser.parse(decoder.decode(b)),
	},
	{
		label: 'form 1 KB',
		type: 'application/x-www-form-urlencoded',
		bytes: form(1024),
		least: (b) => [...new URLSearchParams(decoder.decode(b))],
	},
	{
		label: 'multipart 64 KB (JSON part + file)',
		type: `multipart/form-data; boundary=${BOUNDARY}`,
		bytes: multipart(64 * 1024),
		least: (b) => {
			let n = 0
			for (const part of parseMultipart(b, { boundary: BOUNDARY })) n += part.bytes.byteLength
			return n
		},
	},
	{
		label: 'text 1 KB',
		type: 'text/plain',
		bytes: enc('x'.repeat(1024)),
		least: (b) => decoder.decode(b),
	},
]

for (const c of cases) {
	const parsed = parseBody(c.bytes, c.type)
	if (!parsed.ok) throw new Error(`benchmark body for ${c.label} does not parse`)
	test(`body parsing, ${c.label}`, async ({ bench }) => {
		await bench.compare(
			bench('parseBody', () => {
				parseBody(c.bytes, c.type)
			}),
			bench('the least the content needs', () => {
				c.least(c.bytes)
			}),
		)
	})
}
