import { describe, expect, it } from 'vitest'
import { parseSelector, select } from '../src/lib/selector'

describe('selectors', () => {
	it('parses header and body selectors, and refuses anything else', () => {
		expect(parseSelector('header:X-Record-Id')).toEqual({ from: 'header', name: 'x-record-id' })
		expect(parseSelector('body:record.id')).toEqual({ from: 'body', path: ['record', 'id'] })
		expect(parseSelector('cookie:x')).toBeNull()
		expect(parseSelector('body:a..b')).toBeNull()
	})

	it('selects header values case-insensitively and body paths through objects and arrays', () => {
		const headers = new Headers({ 'X-Record-Id': 'r-1' })
		const body = { record: { id: 42, tags: ['a', 'b'], flag: false, nested: { x: 1 } } }
		const src = { headers, body }
		expect(select(parseSelector('header:x-record-id') as never, src)).toBe('r-1')
		expect(select(parseSelector('body:record.id') as never, src)).toBe('42')
		expect(select(parseSelector('body:record.tags.1') as never, src)).toBe('b')
		expect(select(parseSelector('body:record.flag') as never, src)).toBe('false')
		expect(select(parseSelector('body:record.nested') as never, src)).toBeUndefined()
		expect(select(parseSelector('body:record.missing.deeper') as never, src)).toBeUndefined()
		expect(select(parseSelector('header:absent') as never, src)).toBeUndefined()
		expect(
			select(parseSelector('body:x') as never, { headers, body: new Uint8Array(2) }),
		).toBeUndefined()
		// Only the body's own keys: a sender's `__proto__` key is data, the prototype is not.
		const own = { headers, body: JSON.parse('{"__proto__":{"x":"p"},"c":{}}') }
		expect(select(parseSelector('body:__proto__.x') as never, own)).toBe('p')
		expect(select(parseSelector('body:c.constructor.name') as never, own)).toBeUndefined()
		expect(select(parseSelector('body:c.hasOwnProperty.length') as never, own)).toBeUndefined()
		// Index 0 of a single (non-array) element is the element: XML's one-or-many shapes.
		const one = { headers, body: { n: { id: 'a' } } }
		const many = { headers, body: { n: [{ id: 'b' }, { id: 'c' }] } }
		expect(select(parseSelector('body:n.0.id') as never, one)).toBe('a')
		expect(select(parseSelector('body:n.0.id') as never, many)).toBe('b')
		expect(select(parseSelector('body:n.1.id') as never, one)).toBeUndefined()
	})
})
