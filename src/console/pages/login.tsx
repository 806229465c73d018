/**
 * Console sign-in and sign-out. Sign-in is registered before the session check (it is
 * how a session starts); sign-out after it, so it needs the session's CSRF token and a
 * cross-site form cannot sign anyone out.
 * @module
 */
import type { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { timingSafeEqualStrings } from '../../lib/timing-safe'
import { type ConsoleEnv, formOf } from '../middleware'
import { newSession, SESSION_COOKIE, SESSION_SECONDS } from '../session'

export function signInPages(app: Hono<ConsoleEnv>): void {
	app.get('/login', (c) =>
		c.render(
			<>
				<h1>Sign in</h1>
				<form method="post" action="/console/login" class="card">
					<label for="token">Admin token</label>
					<input
						id="token"
						name="token"
						type="password"
						autocomplete="current-password"
						required
						autofocus
					/>
					<p>
						<button type="submit">Sign in</button>
					</p>
				</form>
			</>,
			{ title: 'Sign in' },
		),
	)

	app.post('/login', async (c) => {
		const form = await formOf(c)
		const token = typeof form.token === 'string' ? form.token : ''
		const expected = c.env.ADMIN_TOKEN
		if (!expected || !(await timingSafeEqualStrings(token, expected))) {
			c.status(401)
			return c.render(
				<>
					<h1>Sign in</h1>
					<p role="alert">That token is not valid.</p>
					<p>
						<a href="/console/login">Try again</a>
					</p>
				</>,
				{ title: 'Sign in' },
			)
		}
		setCookie(c, SESSION_COOKIE, await newSession(expected), {
			httpOnly: true,
			secure: true,
			sameSite: 'Strict',
			path: '/console',
			maxAge: SESSION_SECONDS,
		})
		return c.redirect('/console', 303)
	})
}

export function signOut(app: Hono<ConsoleEnv>): void {
	app.post('/logout', (c) => {
		deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: true })
		return c.redirect('/console/login', 303)
	})
}
