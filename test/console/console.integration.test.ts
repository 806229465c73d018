/**
 * The console over HTTP: sign-in, session and CSRF, pages, escaping of payloads,
 * replay. (The browser test in test/browser drives the same pages in Chromium.)
 */
import { describe, expect, it } from 'vitest'
import { call, createExamples, patchEndpoint, post, postJson, waitForStatus } from '../helpers'

async function signIn(): Promise<string> {
	const res = await call('/console/login', {
		method: 'POST',
		headers: {
			'content-type': 'application/x-www-form-urlencoded',
			origin: 'https://gateway.test',
		},
		body: 'token=test-admin-token',
	})
	expect(res.status).toBe(303)
	const cookie = res.headers.get('set-cookie') as string
	expect(cookie).toMatch(/HttpOnly/i)
	expect(cookie).toMatch(/Secure/i)
	expect(cookie).toMatch(/SameSite=Strict/i)
	return cookie.split(';')[0] as string
}

const page = async (path: string, cookie: string) => {
	const res = await call(path, { headers: { cookie } })
	return { res, html: await res.text() }
}

function csrfOf(html: string): string {
	return /name="csrf" value="([0-9a-f]{64})"/.exec(html)?.[1] as string
}

describe('console', () => {
	it('requires sign-in, refuses a wrong token, and signs out', async () => {
		const anon = await call('/console')
		expect(anon.status).toBe(303)
		expect(anon.headers.get('location')).toBe('/console/login')
		const wrong = await call('/console/login', {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://gateway.test',
			},
			body: 'token=nope',
		})
		expect(wrong.status).toBe(401)
		const cookie = await signIn()
		const home = await page('/console', cookie)
		expect(home.res.status).toBe(200)
		const forged = await call('/console/logout', {
			method: 'POST',
			headers: {
				cookie,
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://gateway.test',
			},
			body: 'csrf=0000',
		})
		expect(forged.status).toBe(403)
		const cross = await call('/console/logout', {
			method: 'POST',
			headers: {
				cookie,
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://evil.example',
			},
			body: `csrf=${csrfOf(home.html)}`,
		})
		expect(cross.status).toBe(403)
		const out = await call('/console/logout', {
			method: 'POST',
			headers: {
				cookie,
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://gateway.test',
			},
			body: `csrf=${csrfOf(home.html)}`,
		})
		expect(out.status).toBe(303)
		expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/i)
	})

	it('lists instances with endpoint URLs and refusal counts', async () => {
		const { echo, instance } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'apiKey', keys: ['k'] } })
		await postJson(echo, {}, { 'api-key': 'k' })
		await postJson(echo, {})
		await new Promise((r) => setTimeout(r, 1300))
		const cookie = await signIn()
		const { html } = await page('/console', cookie)
		expect(html).toContain(instance.id)
		expect(html).toContain(`https://gateway.test/trigger/${echo}`)
		expect(html).toMatch(/admitted 1 · 401 1 · 403 0 · 429 0 \(missing 1\)/)
	})

	it('escapes attacker-controlled payloads and headers', async () => {
		const { echo } = await createExamples()
		const evil = '<script>alert(1)</script>'
		const res = await post(echo, JSON.stringify({ name: evil }), {
			'content-type': 'application/json',
			'x-evil': '"><img src=x onerror=alert(1)>',
		})
		const { executionId } = (await res.json()) as { executionId: string }
		await waitForStatus(executionId)
		const cookie = await signIn()
		const { res: r, html } = await page(`/console/executions/${executionId}`, cookie)
		expect(r.headers.get('content-security-policy')).toContain("default-src 'none'")
		expect(html).not.toContain(evil)
		expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
		expect(html).not.toContain('<img src=x')
	})

	it('replays an execution from its page', async () => {
		const { fail } = await createExamples()
		const res = await postJson(fail, { message: 'nope' }, { 'triggerflare-synchronous': 'true' })
		const id = res.headers.get('triggerflare-execution-id') as string
		const cookie = await signIn()
		const { html } = await page(`/console/executions/${id}`, cookie)
		expect(html).toContain('nope')
		const replay = await call(`/console/executions/${id}/replay`, {
			method: 'POST',
			headers: {
				cookie,
				'content-type': 'application/x-www-form-urlencoded',
				origin: 'https://gateway.test',
			},
			body: `csrf=${csrfOf(html)}`,
		})
		expect(replay.status).toBe(303)
		expect(replay.headers.get('location')).toMatch(new RegExp(`^/console/executions/${fail}-2$`))
		const endpointPage = await page(`/console/endpoints/${fail}?status=failed`, cookie)
		expect(endpointPage.html).toContain(`/console/executions/${id}`)
	})
})
