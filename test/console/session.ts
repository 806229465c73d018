/**
 * Signing in to the console and posting its forms, for the console's integration tests.
 */
import { expect } from 'vitest'
import { call } from '../helpers'

export const ORIGIN = 'https://gateway.test'

export interface Session {
	cookie: string
	csrf: string
}

export async function signIn(): Promise<Session> {
	const res = await call('/console/login', {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
		body: 'token=test-admin-token',
	})
	expect(res.status).toBe(303)
	const cookie = (res.headers.get('set-cookie') as string).split(';')[0] as string
	const home = await (await call('/console', { headers: { cookie } })).text()
	const csrf = /name="csrf" value="([0-9a-f]{64})"/.exec(home)?.[1] as string
	return { cookie, csrf }
}

export async function getPage(
	session: Session,
	path: string,
): Promise<{ status: number; html: string }> {
	const res = await call(path, { headers: { cookie: session.cookie } })
	return { status: res.status, html: await res.text() }
}

/** Posts a form as the browser does (urlencoded, same origin, with the session's token). */
export function postForm(
	session: Session,
	path: string,
	fields: Record<string, string>,
): Promise<Response> {
	return call(path, {
		method: 'POST',
		headers: {
			cookie: session.cookie,
			origin: ORIGIN,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({ csrf: session.csrf, ...fields }).toString(),
	})
}

/** The text of a textarea as the browser would show it (JSX escaped it). */
export function textareaOf(html: string, id: string): string | undefined {
	const m = new RegExp(`<textarea[^>]*id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(html)
	return m?.[1]
		?.replaceAll('&lt;', '<')
		.replaceAll('&gt;', '>')
		.replaceAll('&quot;', '"')
		.replaceAll('&#39;', "'")
		.replaceAll('&amp;', '&')
}
