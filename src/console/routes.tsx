/**
 * The web console at `/console`: instances and endpoints, executions, one execution's
 * request/steps/logs, replay. Server-rendered with Hono's JSX; no front-end build.
 * @module
 */
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { csrf } from 'hono/csrf'
import { bulkReplay } from '../admin/replay'
import type { EndpointConfig } from '../endpoint/config'
import { EXECUTION_STATUSES, type ExecutionStatus } from '../endpoint/execution-record'
import { endpointStub } from '../endpoint/stub'
import { GatewayError } from '../lib/errors'
import { isEndpointId } from '../lib/ids'
import { timingSafeEqualStrings } from '../lib/timing-safe'
import { publicOrigin, triggerUrl } from '../lib/urls'
import { registryStub } from '../registry/registry-do'
import { type ConsoleEnv, executionPages } from './execution-page'
import { CopyUrl, Csrf, Page, Status } from './layout'
import {
	csrfToken,
	newSession,
	SESSION_COOKIE,
	SESSION_SECONDS,
	validCsrf,
	validSession,
} from './session'

export const consoleRoutes = new Hono<ConsoleEnv>()

// Same-origin form posts only (Origin header check), on top of the CSRF token.
consoleRoutes.use('*', csrf())
consoleRoutes.use('*', async (c, next) => {
	c.header(
		'content-security-policy',
		"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
	)
	c.header('x-content-type-options', 'nosniff')
	c.header('referrer-policy', 'no-referrer')
	c.header('cache-control', 'no-store')
	await next()
})

/**
 * The posted form. A body that does not parse as its declared form type (a broken
 * multipart body, a multipart type without a boundary) is the client's error: 400.
 */
async function formOf(c: Context<ConsoleEnv>): Promise<Record<string, unknown>> {
	try {
		return await c.req.parseBody()
	} catch {
		throw new GatewayError(400, 'bad_request', 'Malformed form body.')
	}
}

consoleRoutes.get('/login', (c) =>
	c.html(
		<Page title="Sign in">
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
		</Page>,
	),
)

consoleRoutes.post('/login', async (c) => {
	const form = await formOf(c)
	const token = typeof form.token === 'string' ? form.token : ''
	const expected = c.env.ADMIN_TOKEN
	if (!expected || !(await timingSafeEqualStrings(token, expected))) {
		return c.html(
			<Page title="Sign in">
				<h1>Sign in</h1>
				<p role="alert">That token is not valid.</p>
				<p>
					<a href="/console/login">Try again</a>
				</p>
			</Page>,
			401,
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

// Everything below needs a session; posts also need the session's CSRF token.
consoleRoutes.use('*', async (c, next) => {
	const session = getCookie(c, SESSION_COOKIE)
	if (!session || !(await validSession(c.env.ADMIN_TOKEN, session)))
		return c.redirect('/console/login', 303)
	const expected = c.env.ADMIN_TOKEN as string
	if (c.req.method === 'POST') {
		const form = await formOf(c)
		if (!(await validCsrf(expected, session, form.csrf)))
			throw new GatewayError(403, 'forbidden', 'Invalid form token.')
	}
	c.set('session', session)
	c.set('csrf', await csrfToken(expected, session))
	await next()
})

consoleRoutes.post('/logout', (c) => {
	deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: true })
	return c.redirect('/console/login', 303)
})

function Bars(props: { values: number[]; label: string }) {
	const max = Math.max(1, ...props.values)
	return (
		<div class="bars" role="img" aria-label={`${props.label}: ${props.values.join(', ')}`}>
			{props.values.map((v) => (
				<span style={`height:${Math.round((v / max) * 100)}%`} title={String(v)} />
			))}
		</div>
	)
}

function authLabel(config: EndpointConfig): string {
	const auth = config.auth
	return auth.type === 'hmac'
		? `hmac (${'preset' in auth && auth.preset ? auth.preset : 'generic'})`
		: auth.type
}

consoleRoutes.get('/', async (c) => {
	const env = c.env
	const origin = publicOrigin(env, c.req.url)
	const instances = await registryStub(env).listInstances()
	const rows = await Promise.all(
		instances.map(async (instance) => {
			const ids = [...new Set(instance.endpoints.map((e) => e.id))]
			const endpoints = await Promise.all(
				ids.map(async (id) => {
					const stub = endpointStub(env, id)
					const [config, activity] = await Promise.all([stub.getConfig(), stub.activity(10)])
					return { id, config, activity }
				}),
			)
			return { instance, endpoints }
		}),
	)
	return c.html(
		<Page title="Instances" signedIn csrf={c.var.csrf}>
			<h1>Instances</h1>
			{rows.length === 0 ? (
				<p>
					No instances yet. Create one with <code>POST /api/instances</code>.
				</p>
			) : null}
			{rows.map(({ instance, endpoints }) => (
				<section class="card" aria-labelledby={`i-${instance.id}`}>
					<h2 id={`i-${instance.id}`}>
						{instance.name}{' '}
						<span class="muted">
							{instance.integration} · {instance.id}
						</span>
					</h2>
					<table>
						<thead>
							<tr>
								<th>Endpoint</th>
								<th class="hide">Auth</th>
								<th class="hide">Limit</th>
								<th class="hide">FIFO</th>
								<th>Last 10 min</th>
							</tr>
						</thead>
						<tbody>
							{endpoints.map(({ id, config, activity }) =>
								config ? (
									<tr>
										<td>
											<a href={`/console/endpoints/${id}`}>
												{config.flow || instance.endpoints.map((e) => e.flow).join(', ')}
											</a>
											<CopyUrl url={triggerUrl(origin, id)} />
										</td>
										<td class="hide">{authLabel(config)}</td>
										<td class="hide">{config.rateLimit.requestsPerSecond}/s</td>
										<td class="hide">
											{config.fifo === false
												? 'no'
												: config.fifo === true
													? 'yes'
													: `by ${config.fifo.key}`}
										</td>
										<td>
											<Bars label="admitted per minute" values={activity.map((a) => a.admitted)} />
											<span class="muted">
												admitted {activity.reduce((n, a) => n + a.admitted, 0)} · 401{' '}
												{activity.reduce((n, a) => n + a.unauthorized, 0)} · 429{' '}
												{activity.reduce((n, a) => n + a.rateLimited, 0)}
											</span>
										</td>
									</tr>
								) : null,
							)}
						</tbody>
					</table>
				</section>
			))}
		</Page>,
	)
})

const PAGE = 25

consoleRoutes.get('/endpoints/:id', async (c) => {
	const id = c.req.param('id')
	if (!isEndpointId(id)) throw new GatewayError(404, 'not_found', 'Endpoint not found.')
	const stub = endpointStub(c.env, id)
	const config = await stub.getConfig()
	if (!config) throw new GatewayError(404, 'not_found', 'Endpoint not found.')
	const statusParam = c.req.query('status') ?? ''
	const status = (EXECUTION_STATUSES as readonly string[]).includes(statusParam)
		? (statusParam as ExecutionStatus)
		: undefined
	const before = c.req.query('before')
	const beforeParts = before ? /^(\d+)-(\d+)$/.exec(before) : null
	const list = await stub.listExecutions({
		limit: PAGE + 1,
		...(status ? { status } : {}),
		...(beforeParts
			? { before: { t: Number(beforeParts[1]), e: id, s: Number(beforeParts[2]) } }
			: {}),
	})
	const page = list.slice(0, PAGE)
	const last = page[page.length - 1]
	const next = list.length > PAGE && last ? `${Date.parse(last.receivedAt)}-${last.sequence}` : null
	const query = (extra: Record<string, string>) =>
		`?${new URLSearchParams({ ...(status ? { status } : {}), ...extra }).toString()}`
	return c.html(
		<Page title="Endpoint" signedIn csrf={c.var.csrf}>
			<p>
				<a href="/console">← Instances</a>
			</p>
			<h1>
				{config.integration} / {config.flow || 'routed'}
			</h1>
			<div class="card">
				<CopyUrl url={triggerUrl(publicOrigin(c.env, c.req.url), id)} />
				<p class="muted">
					auth {authLabel(config)} · {config.rateLimit.requestsPerSecond} requests/s · mode{' '}
					{config.mode} · FIFO {config.fifo === false ? 'off' : 'on'}
				</p>
				<form method="post" action={`/console/endpoints/${id}/replay-failed`} class="inline">
					<Csrf token={c.var.csrf} />
					<button type="submit" class="secondary">
						Replay failed executions
					</button>
				</form>
			</div>
			<form method="get" class="row" aria-label="Filter executions">
				<div>
					<label for="status">Status</label>
					<select id="status" name="status">
						<option value="">all</option>
						{EXECUTION_STATUSES.map((s) => (
							<option value={s} selected={s === status}>
								{s}
							</option>
						))}
					</select>
				</div>
				<div style="align-self:flex-end">
					<button type="submit">Filter</button>
				</div>
			</form>
			<div class="card">
				<table>
					<thead>
						<tr>
							<th>Execution</th>
							<th>Status</th>
							<th class="hide">Received</th>
							<th class="hide">Attempts</th>
						</tr>
					</thead>
					<tbody>
						{page.map((e) => (
							<tr>
								<td>
									<a href={`/console/executions/${e.id}`}>#{e.sequence}</a>{' '}
									<span class="muted">{e.flow}</span>
								</td>
								<td>
									<Status status={e.status} />
								</td>
								<td class="hide">{e.receivedAt}</td>
								<td class="hide">{e.attempts}</td>
							</tr>
						))}
					</tbody>
				</table>
				{page.length === 0 ? <p>No executions.</p> : null}
				{next ? (
					<p>
						<a href={query({ before: next })}>Older →</a>
					</p>
				) : null}
			</div>
		</Page>,
	)
})

consoleRoutes.post('/endpoints/:id/replay-failed', async (c) => {
	const id = c.req.param('id')
	if (!isEndpointId(id)) throw new GatewayError(404, 'not_found', 'Endpoint not found.')
	await bulkReplay(c.env, id, { status: 'failed', limit: 100 })
	return c.redirect(`/console/endpoints/${id}`, 303)
})

/** The body as people read it: pretty JSON or XML, text, or a size and a download link. */

executionPages(consoleRoutes)
