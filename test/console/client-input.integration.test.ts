/**
 * The console answers 4xx, never 5xx, to form posts it cannot parse and to odd methods;
 * the CSRF checks (Origin, then the session's form token) still come first.
 */
import { describe, expect, it } from 'vitest'
import { call, createExamples } from '../helpers'

const ORIGIN = { origin: 'https://gateway.test' }
const BROKEN_MULTIPART = [
	{ 'content-type': 'multipart/form-data; boundary=XYZ', body: 'garbage' },
	{ 'content-type': 'multipart/form-data; boundary=XYZ', body: '--XYZ\r\nbroken' },
	{ 'content-type': 'multipart/form-data', body: 'no boundary' },
]

async function signIn(): Promise<{ cookie: string; csrf: string }> {
	const res = await call('/console/login', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...ORIGIN },
		body: 'token=test-admin-token',
	})
	expect(res.status).toBe(303)
	const cookie = (res.headers.get('set-cookie') as string).split(';')[0] as string
	const home = await (await call('/console', { headers: { cookie } })).text()
	const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(home)?.[1] as string
	return { cookie, csrf }
}

async function expectMalformed(res: Response) {
	expect(res.status).toBe(400)
	expect(res.headers.get('content-type')).toMatch(/^application\/json/)
	expect(await res.json()).toEqual({ error: 'Malformed form body.' })
}

describe('malformed form bodies', () => {
	it('sign-in: 400, no session', async () => {
		for (const { body, ...headers } of BROKEN_MULTIPART) {
			const res = await call('/console/login', {
				method: 'POST',
				headers: { ...headers, ...ORIGIN },
				body,
			})
			await expectMalformed(res)
			expect(res.headers.get('set-cookie')).toBeNull()
		}
	})

	it('signed-in posts (sign-out, replay): 400, nothing done', async () => {
		const { echo } = await createExamples()
		const { cookie } = await signIn()
		for (const path of ['/console/logout', `/console/endpoints/${echo}/replay-failed`]) {
			for (const { body, ...headers } of BROKEN_MULTIPART) {
				const res = await call(path, {
					method: 'POST',
					headers: { ...headers, ...ORIGIN, cookie },
					body,
				})
				await expectMalformed(res)
				expect(res.headers.get('set-cookie')).toBeNull()
			}
		}
		// Still signed in: the sign-out above did not happen.
		expect((await call('/console', { headers: { cookie } })).status).toBe(200)
	})

	it('CSRF checks still come first: a cross-site post is 403 before its body is read', async () => {
		const { cookie } = await signIn()
		for (const { body, ...headers } of BROKEN_MULTIPART) {
			const res = await call('/console/logout', {
				method: 'POST',
				headers: { ...headers, origin: 'https://evil.example', cookie },
				body,
			})
			expect(res.status).toBe(403)
			expect(await res.json()).toEqual({
				error: 'Cross-origin form post refused: the console accepts forms from its own pages only.',
			})
		}
	})

	it('a well-formed multipart post is still checked for its form token', async () => {
		const { cookie, csrf } = await signIn()
		const form = (token: string) => {
			const data = new FormData()
			data.set('csrf', token)
			return data
		}
		const forged = await call('/console/logout', {
			method: 'POST',
			headers: { ...ORIGIN, cookie },
			body: form('0'.repeat(64)),
		})
		expect(forged.status).toBe(403)
		const real = await call('/console/logout', {
			method: 'POST',
			headers: { ...ORIGIN, cookie },
			body: form(csrf),
		})
		expect(real.status).toBe(303)
		expect(real.headers.get('location')).toBe('/console/login')
	})
})

describe('odd methods and ids', () => {
	it('TRACE, PROPFIND and friends: 4xx', async () => {
		const { cookie } = await signIn()
		for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'OPTIONS']) {
			for (const headers of [{}, { cookie }, { cookie, ...ORIGIN }] as Record<string, string>[]) {
				const res = await call('/console', { method, headers })
				expect(res.status, `${method} ${JSON.stringify(headers)}`).toBeGreaterThanOrEqual(300)
				expect(res.status, `${method} ${JSON.stringify(headers)}`).toBeLessThan(500)
			}
		}
	})

	it('malformed ids and query values: 404 or the page, never 5xx', async () => {
		const { echo } = await createExamples()
		const { cookie } = await signIn()
		for (const path of [
			'/console/executions/%E0%A4%A',
			`/console/executions/${echo}-99999999999999999999999`,
			`/console/executions/${echo}-0/body`,
			'/console/endpoints/%E0%A4%A',
		]) {
			const res = await call(path, { headers: { cookie } })
			expect(res.status, path).toBe(404)
		}
		for (const query of ['before=99999999999999999999999-99999999999999999999', 'status=%ZZ']) {
			const res = await call(`/console/endpoints/${echo}?${query}`, { headers: { cookie } })
			expect(res.status, query).toBe(200)
		}
		const badCookie = await call('/console', { headers: { cookie: 'tf_console=%ZZ%' } })
		expect(badCookie.status).toBe(303)
	})
})

describe('form size', () => {
	const tooLarge = {
		error: "Request body exceeds the console's limit of 1048576 bytes.",
	}

	it('a sign-in post over 1 MiB is refused with 413 from its Content-Length', async () => {
		const res = await call('/console/login', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...ORIGIN },
			body: `token=${'a'.repeat(1024 * 1024 + 1)}`,
		})
		expect(res.status).toBe(413)
		expect(await res.json()).toEqual(tooLarge)
	})

	it('a streamed post without a length is cut off at the limit, not buffered whole', async () => {
		const chunk = new Uint8Array(64 * 1024).fill(97)
		let pulled = 0
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				pulled++
				// 64 MiB in all, far past any isolate's comfort if it were buffered.
				if (pulled > 1024) controller.close()
				else controller.enqueue(chunk)
			},
		})
		const res = await call('/console/login', {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...ORIGIN },
			body,
			duplex: 'half',
		} as RequestInit)
		expect(res.status).toBe(413)
		expect(await res.json()).toEqual(tooLarge)
		expect(pulled).toBeLessThan(100)
	})
})
