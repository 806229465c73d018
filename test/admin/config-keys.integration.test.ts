/**
 * Instance config keys named after Object.prototype members: `__proto__` (which zod's
 * copy would silently drop), `constructor`, `prototype`, `toString` are refused like any
 * key the integration does not declare.
 */
import { describe, expect, it } from 'vitest'
import { admin } from '../helpers'

function send(body: string) {
	return admin('/api/instances', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body,
	})
}

async function expectInvalid(res: Response, error: string) {
	expect(res.status).toBe(400)
	expect(res.headers.get('content-type')).toMatch(/^application\/json/)
	expect(await res.json()).toEqual({ error })
}

async function instanceCount(): Promise<number> {
	const res = await admin('/api/instances')
	return ((await res.json()) as { instances: unknown[] }).instances.length
}

describe('__proto__ and other Object.prototype names as config keys', () => {
	it('get the same 400 as any key the integration does not declare', async () => {
		const before = await instanceCount()
		for (const key of ['__proto__', 'constructor', 'prototype', 'toString', 'undeclared']) {
			for (const value of ['{"polluted":true}', '1', 'null']) {
				// Raw JSON text: JSON.stringify of an object literal would drop __proto__.
				const res = await send(`{"integration":"examples","config":{"${key}":${value}}}`)
				await expectInvalid(res, `Invalid request: config.${key}: not declared by the integration`)
			}
		}
		expect(await instanceCount()).toBe(before)
		expect(({} as Record<string, unknown>).polluted).toBeUndefined()
	})

	it('inside a config value, __proto__ is refused rather than dropped', async () => {
		const res = await send(
			'{"integration":"github-issues","config":{"webhookSecret":"s","x":{"__proto__":{"a":1}}}}',
		)
		await expectInvalid(
			res,
			'Invalid request: config.x.__proto__: "__proto__" cannot be used as a key',
		)
	})

	it('declared keys still work', async () => {
		const res = await send('{"integration":"github-issues","config":{"webhookSecret":"s"}}')
		expect(res.status).toBe(201)
	})
})
