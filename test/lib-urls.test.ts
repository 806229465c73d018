import { describe, expect, it } from 'vitest'
import { pathOf } from '../src/lib/urls'

describe('pathOf', () => {
	it('is the pathname of a serialized absolute URL', () => {
		for (const url of [
			'https://gw.example/trigger/abc',
			'https://gw.example/trigger/abc/x/y?a=1&b=/z',
			'http://127.0.0.1:8787/trigger/abc#frag?not-a-query',
			'https://gw.example/',
			'https://gw.example/p%20q?r#s',
			'https://user:pw@gw.example:8443/a/b/?',
		]) {
			expect(pathOf(url), url).toBe(new URL(url).pathname)
		}
	})
})
