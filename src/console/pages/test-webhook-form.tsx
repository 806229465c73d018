/**
 * The "Send a test webhook" form of an endpoint's page, with what came of the last send
 * when no execution started: the form's own error, or the gateway's answer (a 401 from
 * an endpoint with auth, a 429, a filter's 200...), shown as the gateway sent it.
 * @module
 */

import { Csrf } from '../layout'
import type { GatewayAnswer, TestWebhookForm } from '../test-webhook'

export interface TestWebhookState {
	form: TestWebhookForm
	error?: string
	answer?: GatewayAnswer
}

const CONTENT_TYPES = [
	'application/json',
	'application/xml',
	'text/plain',
	'application/x-www-form-urlencoded',
]

export function TestWebhook(props: { endpointId: string; csrf: string; state: TestWebhookState }) {
	const { form, error, answer } = props.state
	return (
		<section class="card" aria-labelledby="test-webhook">
			<h2 id="test-webhook">Send a test webhook</h2>
			<p class="muted">
				Posted to this endpoint's trigger URL as a sender's request: its auth, limits and routing
				apply. When it starts an execution, that execution's page opens.
			</p>
			{error ? (
				<p role="alert" class="error" id="test-error">
					{error}
				</p>
			) : null}
			{answer ? (
				<div role="status" id="test-answer">
					<p>
						No execution started: the gateway answered <strong>{answer.status}</strong>
						{answer.contentType ? <span class="muted"> ({answer.contentType})</span> : null}
					</p>
					{answer.body ? <pre>{answer.body}</pre> : null}
				</div>
			) : null}
			<form method="post" action={`/console/endpoints/${props.endpointId}/test`}>
				<Csrf token={props.csrf} />
				<label for="test-body">Body</label>
				<textarea id="test-body" name="body" rows={6} spellcheck={false}>
					{form.body}
				</textarea>
				<label for="test-content-type">Content type</label>
				<input
					id="test-content-type"
					name="contentType"
					type="text"
					list="test-content-types"
					value={form.contentType}
				/>
				<datalist id="test-content-types">
					{CONTENT_TYPES.map((t) => (
						<option value={t} />
					))}
				</datalist>
				<label for="test-headers">
					Extra headers <span class="muted">(one "Name: value" per line)</span>
				</label>
				<textarea
					id="test-headers"
					name="headers"
					rows={3}
					spellcheck={false}
					aria-describedby={error ? 'test-error' : undefined}
				>
					{form.headers}
				</textarea>
				<p>
					<button type="submit">Send test webhook</button>
				</p>
			</form>
		</section>
	)
}
