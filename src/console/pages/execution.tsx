/**
 * The console's execution page: one execution's request (pretty-printed JSON/XML, binary
 * as a download), attempts, steps, logs and result, and its Replay button. Registered on
 * the console app after its session check, so every route here is signed in.
 * @module
 */
import type { Hono } from 'hono'
import { replayOne } from '../../admin/replay'
import { instanceById } from '../../endpoint/config'
import { type ExecutionView, isTerminal } from '../../endpoint/execution-record'
import { endpointStub } from '../../endpoint/stub'
import type { Env } from '../../env'
import { loadStoredRequest, requestBodyBytes } from '../../execution/archive'
import type { RequestEnvelope } from '../../execution/message'
import { GatewayError } from '../../lib/errors'
import { parseExecutionId } from '../../lib/ids'
import { publicOrigin } from '../../lib/urls'
import { isJsonType, isXmlType, mediaType } from '../../trigger/parse-body'
import { Csrf, Status } from '../layout'
import type { ConsoleEnv } from '../middleware'
import { loadResult, ResultView } from '../result-preview'

/** The body as people read it: pretty JSON or XML, text, or a size and a download link. */
function BodyView(props: {
	request: RequestEnvelope
	bytes: Uint8Array | null
	downloadHref: string
}) {
	const type = mediaType(props.request.contentType)
	const size =
		'inline' in props.request.body ? props.request.body.inline.byteLength : props.request.body.size
	if (!props.bytes || size === 0)
		return <p class="muted">{size === 0 ? 'Empty body.' : 'Body not available.'}</p>
	const text = new TextDecoder().decode(props.bytes)
	if (isJsonType(type)) {
		try {
			return <pre>{JSON.stringify(JSON.parse(text), null, 2)}</pre>
		} catch {
			return <pre>{text}</pre>
		}
	}
	if (isXmlType(type) || type.startsWith('text/') || type === 'application/x-www-form-urlencoded') {
		return <pre>{isXmlType(type) ? text.replace(/>\s*</g, '>\n<') : text}</pre>
	}
	return (
		<p>
			{props.request.contentType || 'application/octet-stream'}, {size} bytes ·{' '}
			<a href={props.downloadHref}>Download</a>
		</p>
	)
}

async function loadExecution(env: Env, id: string): Promise<ExecutionView> {
	const parsed = parseExecutionId(id)
	const view = parsed
		? await endpointStub(env, parsed.endpointId).getExecution(parsed.sequence)
		: null
	if (!view) throw new GatewayError(404, 'not_found', 'Execution not found.')
	return view
}

export function executionPages(app: Hono<ConsoleEnv>): void {
	app.get('/executions/:id', async (c) => {
		const id = c.req.param('id')
		const exec = await loadExecution(c.env, id)
		const request = await loadStoredRequest(c.env, id)
		const bytes = request ? await requestBodyBytes(c.env, request) : null
		const config = await endpointStub(c.env, exec.endpointId).getConfig()
		const instance = config ? instanceById(config, exec.instanceId) : null
		const origin = publicOrigin(c.env, c.req.url)
		const result = exec.resultPath ? await loadResult(c, origin + exec.resultPath) : null
		// Set by the endpoint page's test form: the status the gateway answered it.
		const sent = /^\d{3}$/.test(c.req.query('sent') ?? '') ? c.req.query('sent') : null
		return c.render(
			<>
				<p>
					<a href={`/console/endpoints/${exec.endpointId}`}>← Endpoint</a>
				</p>
				<h1>
					Execution #{exec.sequence} <Status status={exec.status} />
				</h1>
				{sent ? (
					<p role="status" class="notice">
						Test webhook sent: the gateway answered {sent}.
					</p>
				) : null}
				{isTerminal(exec.status) ? null : (
					<p>
						Still {exec.status}. <a href={`/console/executions/${id}`}>Refresh</a>
					</p>
				)}
				<div class="card row">
					<div>
						<p class="muted">
							{instance?.name ?? exec.instanceId} · {exec.flow} · attempts {exec.attempts}
							{exec.replayOf ? ` · replay of ${exec.replayOf}` : ''}
						</p>
						<p class="muted">
							received {exec.receivedAt}
							<br />
							started {exec.startedAt ?? '—'}
							<br />
							finished {exec.finishedAt ?? '—'}
						</p>
						{exec.resultPath ? (
							<p>
								<a href={origin + exec.resultPath}>Result</a>
							</p>
						) : null}
					</div>
					<div>
						<form method="post" action={`/console/executions/${id}/replay`}>
							<Csrf token={c.var.csrf} />
							<button type="submit">Replay</button>
						</form>
					</div>
				</div>
				{exec.error ? (
					<section class="card">
						<h2>Error</h2>
						<pre>{exec.error}</pre>
					</section>
				) : null}
				{exec.attemptErrors.length ? (
					<section class="card">
						<h2>Attempts</h2>
						<pre>{JSON.stringify(exec.attemptErrors, null, 2)}</pre>
					</section>
				) : null}
				<section class="card">
					<h2>Request</h2>
					{request ? (
						<>
							<p>
								<code>
									{request.method} /{request.pathFragment}
									{new URL(request.url).search}
								</code>
							</p>
							<table>
								<tbody>
									{request.headers.map(([k, v]) => (
										<tr>
											<th>{k}</th>
											<td>
												<code>{v}</code>
											</td>
										</tr>
									))}
								</tbody>
							</table>
							<h2>Body</h2>
							<BodyView
								request={request}
								bytes={bytes}
								downloadHref={`/console/executions/${id}/body`}
							/>
						</>
					) : (
						<p class="muted">This execution's request is no longer stored.</p>
					)}
				</section>
				<section class="card">
					<h2>Steps</h2>
					{exec.steps.length === 0 ? (
						<p class="muted">No steps recorded.</p>
					) : (
						<pre>{JSON.stringify(exec.steps, null, 2)}</pre>
					)}
				</section>
				{result && exec.resultPath ? (
					<section class="card">
						<h2>Result</h2>
						<ResultView preview={result} href={origin + exec.resultPath} />
					</section>
				) : null}
				<section class="card">
					<h2>Logs</h2>
					{exec.logs.length === 0 ? (
						<p class="muted">No logs.</p>
					) : (
						<pre>{JSON.stringify(exec.logs, null, 2)}</pre>
					)}
				</section>
			</>,
			{ title: `Execution ${exec.sequence}` },
		)
	})

	app.get('/executions/:id/body', async (c) => {
		const id = c.req.param('id')
		await loadExecution(c.env, id)
		const request = await loadStoredRequest(c.env, id)
		const bytes = request ? await requestBodyBytes(c.env, request) : null
		if (!bytes) throw new GatewayError(404, 'not_found', 'Body not available.')
		// Served as an attachment of an inert type: never rendered by the browser.
		return new Response(bytes, {
			headers: {
				'content-type': 'application/octet-stream',
				'content-disposition': `attachment; filename="${id}.bin"`,
				'x-content-type-options': 'nosniff',
			},
		})
	})

	app.post('/executions/:id/replay', async (c) => {
		const executionId = await replayOne(c.env, c.req.param('id'))
		return c.redirect(`/console/executions/${executionId}`, 303)
	})
}
