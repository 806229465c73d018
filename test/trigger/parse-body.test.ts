import { describe, expect, it } from 'vitest'
import { concatBytes } from '../../src/lib/encoding'
import { mediaType, parseBody, searchParamsToObject } from '../../src/trigger/parse-body'

const enc = (s: string) => new TextEncoder().encode(s)

function multipart(
	boundary: string,
	parts: Array<{ headers: string[]; body: string | Uint8Array }>,
) {
	return concatBytes(
		...parts.flatMap((p) => [`--${boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n`, p.body, '\r\n']),
		`--${boundary}--\r\n`,
	)
}

describe('parseBody', () => {
	it('parses JSON, including +json vendor types and a charset parameter', () => {
		expect(parseBody(enc('{"a":[1,2]}'), 'application/json; charset=utf-8')).toEqual({
			ok: true,
			data: { a: [1, 2] },
		})
		expect(parseBody(enc('{"x":true}'), 'application/vnd.api+json')).toEqual({
			ok: true,
			data: { x: true },
		})
	})

	it('reports malformed JSON, and treats an empty JSON body as null', () => {
		expect(parseBody(enc('{"a":'), 'application/json')).toEqual({ ok: false, kind: 'json' })
		expect(parseBody(new Uint8Array(0), 'application/json')).toEqual({ ok: true, data: null })
	})

	it('parses XML into an object, attributes prefixed', () => {
		const r = parseBody(enc('<order id="7"><item>book</item><qty>2</qty></order>'), 'text/xml')
		expect(r).toEqual({ ok: true, data: { order: { '@_id': '7', item: 'book', qty: 2 } } })
	})

	it('reports malformed XML', () => {
		expect(parseBody(enc('<a><b></a>'), 'application/xml')).toEqual({ ok: false, kind: 'xml' })
		expect(parseBody(enc('not xml at all <'), 'application/xml')).toEqual({
			ok: false,
			kind: 'xml',
		})
	})

	it('never expands DOCTYPE entities (billion laughs): they stay as written', () => {
		const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz><a>&lol3;</a><c>&lt;ok&gt;</c></lolz>`
		expect(parseBody(enc(bomb), 'application/xml')).toEqual({
			ok: true,
			data: { lolz: { a: '&lol3;', c: '&lt;ok&gt;' } },
		})
	})

	it('refuses documents that declare external entities', () => {
		const xxe = `<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<r>&xxe;</r>`
		expect(parseBody(enc(xxe), 'application/xml')).toEqual({ ok: false, kind: 'xml' })
	})

	it('parses urlencoded forms with repeated keys as arrays', () => {
		expect(
			parseBody(enc('a=1&b=two+words&a=2&c=%F0%9F%98%80'), 'application/x-www-form-urlencoded'),
		).toEqual({
			ok: true,
			data: { a: ['1', '2'], b: 'two words', c: '😀' },
		})
	})

	it('parses multipart: JSON parts parsed, file parts as bytes with filename and type, text as strings', () => {
		const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255])
		const body = multipart('XyZ', [
			{
				headers: [
					'Content-Disposition: form-data; name="person"',
					'Content-Type: application/json',
				],
				body: '{"firstname":"Ada","lastname":"Lovelace"}',
			},
			{
				headers: [
					'Content-Disposition: form-data; name="photo"; filename="ada.png"',
					'Content-Type: image/png',
				],
				body: png,
			},
			{ headers: ['Content-Disposition: form-data; name="note"'], body: 'hello' },
		])
		const r = parseBody(body, 'multipart/form-data; boundary=XyZ')
		expect(r.ok).toBe(true)
		const data = (
			r as { data: Record<string, { data: unknown; contentType: string; filename?: string }> }
		).data
		expect(data.person).toEqual({
			data: { firstname: 'Ada', lastname: 'Lovelace' },
			contentType: 'application/json',
		})
		expect(data.photo?.filename).toBe('ada.png')
		expect(data.photo?.contentType).toBe('image/png')
		expect(data.photo?.data).toEqual(png)
		expect(data.note).toEqual({ data: 'hello', contentType: 'text/plain' })
	})

	it('reports multipart without a boundary as malformed', () => {
		expect(parseBody(enc('x'), 'multipart/form-data')).toEqual({ ok: false, kind: 'multipart' })
	})

	it('keeps text as a string and anything else as the exact bytes', () => {
		expect(parseBody(enc('plain words'), 'text/plain')).toEqual({ ok: true, data: 'plain words' })
		const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0xff])
		const r = parseBody(pdf, 'application/pdf')
		expect(r).toEqual({ ok: true, data: pdf })
		expect(parseBody(pdf, '')).toEqual({ ok: true, data: pdf })
	})
})

describe('helpers', () => {
	it('mediaType strips parameters and lower-cases', () => {
		expect(mediaType('Application/JSON; charset=UTF-8')).toBe('application/json')
		expect(mediaType(null)).toBe('')
	})

	it('searchParamsToObject turns repeated keys into arrays', () => {
		expect(searchParamsToObject(new URLSearchParams('x=1&x=2&x=3&y='))).toEqual({
			x: ['1', '2', '3'],
			y: '',
		})
	})
})
