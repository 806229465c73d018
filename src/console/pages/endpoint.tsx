/**
 * The console's endpoint page: its configuration at a glance, a form that sends it a test
 * webhook, its executions filtered by status and paged by (received, sequence) cursor,
 * and a bulk replay of the failed ones.
 * @module
 */
import type { Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { bulkReplay } from '../../admin/replay'
import { EXECUTION_STATUSES, type ExecutionStatus } from '../../endpoint/execution-record'
import { endpointStub } from '../../endpoint/stub'
import { GatewayError } from '../../lib/errors'
import { isEndpointId } from '../../lib/ids'
import { publicOrigin, triggerUrl } from '../../lib/urls'
import { authLabel, CopyUrl, Csrf, Status } from '../layout'
import { type ConsoleEnv, formOf } from '../middleware'
import { DEFAULT_TEST_WEBHOOK, sendTestWebhook, waitBriefly } from '../test-webhook'
import { TestWebhook, type TestWebhookState } from './test-webhook-form'

const PAGE = 25

const notFound = () => new GatewayError(404, 'not_found', 'Endpoint not found.')

/** The page; after a test send that started nothing, with that send's form and outcome. */
async function renderEndpoint(
	c: Context<ConsoleEnv>,
	id: string,
	test: TestWebhookState = { form: DEFAULT_TEST_WEBHOOK },
	httpStatus: ContentfulStatusCode = 200,
) {
	if (!isEndpointId(id)) throw notFound()
	const stub = endpointStub(c.env, id)
	const config = await stub.getConfig()
	if (!config) throw notFound()
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
		`/console/endpoints/${id}?${new URLSearchParams({ ...(status ? { status } : {}), ...extra }).toString()}`
	c.status(httpStatus)
	return c.render(
		<>
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
			<TestWebhook endpointId={id} csrf={c.var.csrf} state={test} />
			<form
				method="get"
				action={`/console/endpoints/${id}`}
				class="row"
				aria-label="Filter executions"
			>
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
		</>,
		{ title: 'Endpoint' },
	)
}

export function endpointPages(app: Hono<ConsoleEnv>): void {
	app.get('/endpoints/:id', (c) => renderEndpoint(c, c.req.param('id')))

	app.post('/endpoints/:id/test', async (c) => {
		const id = c.req.param('id')
		if (!isEndpointId(id) || !(await endpointStub(c.env, id).getConfig())) throw notFound()
		const fields = await formOf(c)
		const text = (name: string) => (typeof fields[name] === 'string' ? fields[name] : '')
		const form = { body: text('body'), contentType: text('contentType'), headers: text('headers') }
		const outcome = await sendTestWebhook(c, id, form)
		if (outcome.kind === 'invalid')
			return renderEndpoint(c, id, { form, error: outcome.error }, 400)
		if (outcome.kind === 'answered') return renderEndpoint(c, id, { form, answer: outcome.answer })
		await waitBriefly(c.env, outcome.executionId)
		return c.redirect(`/console/executions/${outcome.executionId}?sent=${outcome.status}`, 303)
	})

	app.post('/endpoints/:id/replay-failed', async (c) => {
		const id = c.req.param('id')
		if (!isEndpointId(id)) throw notFound()
		await bulkReplay(c.env, id, { status: 'failed', limit: 100 })
		return c.redirect(`/console/endpoints/${id}`, 303)
	})
}
