/**
 * The console's page for one integration: its definition as the admin API shows it
 * (secrets redacted), and for data integrations an edit form that saves through the
 * admin API's own validation. A refused definition re-renders the form with the text as
 * submitted and the API's error (field path, problem) above it, with the API's status.
 * Also the form that creates a data integration. Code integrations are read-only.
 * @module
 */
import type { Context, Hono } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { INTEGRATION_NAME } from '../../integrations/data/definition'
import { getIntegration } from '../../integrations/registry'
import { GatewayError } from '../../lib/errors'
import { registryStub } from '../../registry/registry-do'
import { editableText } from '../definition-text'
import { type IntegrationView, readIntegration, saveIntegration } from '../integration-api'
import { Csrf } from '../layout'
import { type ConsoleEnv, formOf } from '../middleware'
import { FlowList, type FlowOptions } from './integrations'

const STARTER = JSON.stringify(
	{
		description: 'Keeps a summary of each webhook it receives.',
		flows: {
			receive: {
				steps: [{ type: 'transform', name: 'summary', expression: '{ "received": body }' }],
			},
		},
	},
	null,
	2,
)

const pagePath = (name: string) => `/console/integrations/${encodeURIComponent(name)}`

/** `Invalid request: flows.a.steps[0].expression: invalid JSONata: ...` with its path set off. */
function ErrorInPlace(props: { error: string }) {
	const m = /^Invalid request: (\S+): ([\s\S]*)$/.exec(props.error)
	return (
		<p role="alert" class="error" id="definition-error">
			{m ? (
				<>
					Invalid request: <code>{m[1]}</code>: {m[2]}
				</>
			) : (
				props.error
			)}
		</p>
	)
}

function DefinitionField(props: { text: string; error: string | undefined }) {
	return (
		<>
			<label for="definition">Definition (JSON)</label>
			{props.error ? <ErrorInPlace error={props.error} /> : null}
			<textarea
				id="definition"
				name="definition"
				rows={22}
				spellcheck={false}
				aria-describedby={props.error ? 'definition-error' : undefined}
				aria-invalid={props.error ? 'true' : undefined}
			>
				{props.text}
			</textarea>
		</>
	)
}

/** The posted text fields: anything else (a file, a missing field) is the client's error. */
async function textFields<K extends string>(
	c: Context<ConsoleEnv>,
	...names: K[]
): Promise<Record<K, string>> {
	const form = await formOf(c)
	const out = {} as Record<K, string>
	for (const name of names) {
		const value = form[name]
		if (typeof value !== 'string')
			throw new GatewayError(400, 'bad_request', `The form field "${name}" is missing.`)
		out[name] = value
	}
	return out
}

function renderIntegration(
	c: Context<ConsoleEnv>,
	view: IntegrationView,
	form: { text: string; error?: string } | null,
	status: ContentfulStatusCode = 200,
) {
	const isCode = view.source === 'code'
	const flows = (isCode ? (getIntegration(view.name)?.flows ?? {}) : view.flows) as Record<
		string,
		FlowOptions
	>
	const saved = c.req.query('saved')
	c.status(status)
	return c.render(
		<>
			<p>
				<a href="/console/integrations">← Integrations</a>
			</p>
			<h1>{view.name}</h1>
			<p class="muted">
				{isCode
					? 'code integration · read-only'
					: `api · version ${view.version} · updated ${String(view.updatedAt)}`}
			</p>
			{saved && /^\d{1,9}$/.test(saved) && !form ? (
				<p role="status" class="notice">
					Saved as version {saved}.
				</p>
			) : null}
			{view.description ? <p>{view.description}</p> : null}
			<section class="card">
				<h2>Flows</h2>
				<FlowList flows={flows} />
			</section>
			{isCode ? (
				<section class="card">
					<h2>Definition</h2>
					<pre>{JSON.stringify(view, null, 2)}</pre>
					<p class="muted">
						A code integration is a module of the gateway: it changes with the code.
					</p>
				</section>
			) : (
				<form method="post" action={pagePath(view.name)} class="card">
					<Csrf token={c.var.csrf} />
					<DefinitionField text={form?.text ?? editableText(view)} error={form?.error} />
					<p class="muted">
						Secrets show as <code>[redacted]</code>: left as they are, they keep their stored
						values.
					</p>
					<button type="submit">Save</button>
				</form>
			)}
		</>,
		{ title: view.name },
	)
}

function renderNew(
	c: Context<ConsoleEnv>,
	form: { name: string; text: string; error?: string },
	status: ContentfulStatusCode = 200,
) {
	c.status(status)
	return c.render(
		<>
			<p>
				<a href="/console/integrations">← Integrations</a>
			</p>
			<h1>New integration</h1>
			<form method="post" action="/console/integrations" class="card">
				<Csrf token={c.var.csrf} />
				<label for="name">Name</label>
				<input id="name" name="name" type="text" required maxlength={128} value={form.name} />
				<DefinitionField text={form.text} error={form.error} />
				<p class="muted">
					Flows are made of <code>transform</code>, <code>http</code>, <code>branch</code> and{' '}
					<code>loop</code> steps with JSONata expressions over <code>body</code>,{' '}
					<code>headers</code>, <code>query</code>, <code>config</code> and <code>steps</code>.
				</p>
				<button type="submit">Create</button>
			</form>
		</>,
		{ title: 'New integration' },
	)
}

export function integrationPages(app: Hono<ConsoleEnv>): void {
	// Not under /integrations/: "new" is a valid integration name.
	app.get('/new-integration', (c) => renderNew(c, { name: '', text: STARTER }))

	app.post('/integrations', async (c) => {
		const { name, definition: text } = await textFields(c, 'name', 'definition')
		const valid = INTEGRATION_NAME.safeParse(name)
		if (!valid.success)
			return renderNew(
				c,
				{ name, text, error: `Invalid request: name: ${valid.error.issues[0]?.message}` },
				400,
			)
		// Creating must not silently replace: an existing one is edited on its own page.
		if (await registryStub(c.env).getIntegration(name))
			return renderNew(
				c,
				{ name, text, error: `Integration "${name}" already exists: edit it on its page.` },
				409,
			)
		const outcome = await saveIntegration(c, name, text)
		if (!outcome.ok)
			return renderNew(
				c,
				{ name, text, error: outcome.error },
				outcome.status as ContentfulStatusCode,
			)
		return c.redirect(`${pagePath(name)}?saved=${outcome.version}`, 303)
	})

	app.get('/integrations/:name', async (c) => {
		const view = await readIntegration(c, c.req.param('name'))
		if (!view) throw new GatewayError(404, 'not_found', 'Integration not found.')
		return renderIntegration(c, view, null)
	})

	app.post('/integrations/:name', async (c) => {
		const view = await readIntegration(c, c.req.param('name'))
		if (!view) throw new GatewayError(404, 'not_found', 'Integration not found.')
		if (view.source === 'code')
			throw new GatewayError(
				409,
				'bad_request',
				`"${view.name}" is a code integration: it cannot be changed here.`,
			)
		const { definition: text } = await textFields(c, 'definition')
		const outcome = await saveIntegration(c, view.name, text)
		if (!outcome.ok)
			return renderIntegration(
				c,
				view,
				{ text, error: outcome.error },
				outcome.status as ContentfulStatusCode,
			)
		return c.redirect(`${pagePath(view.name)}?saved=${outcome.version}`, 303)
	})
}
