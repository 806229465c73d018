/**
 * The console's Integrations pages: the list (code and data integrations, flows,
 * versions), one integration's definition (secrets never shown), the edit and create
 * forms saving through the admin API's validation with errors shown in place.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { registryStub } from '../../src/registry/registry-do'
import { admin, call } from '../helpers'
import { getPage, postForm, signIn, textareaOf } from './session'

const definition = (expression = '{ "got": body }') => ({
	description: 'Console test integration.',
	config: {
		token: { type: 'string', secret: true, default: 'hunter2-secret' },
		channel: { type: 'string', default: '#general' },
	},
	flows: {
		receive: {
			mode: 'sync',
			fifo: true,
			auth: { type: 'hmac', preset: 'github', secretConfig: 'token' },
			handshakes: [{ type: 'meta', verifyToken: 'meta-token-secret' }],
			steps: [{ type: 'transform', name: 'summary', expression }],
		},
	},
})

let unique = 0
async function createData(value: unknown = definition()): Promise<string> {
	const name = `console-${Date.now()}-${unique++}`
	const res = await admin(`/api/integrations/${name}`, { method: 'PUT', json: value })
	expect(res.status).toBe(201)
	return name
}

describe('Integrations list', () => {
	it('shows code and data integrations with their flows, data ones with their version', async () => {
		const name = await createData()
		await admin(`/api/integrations/${name}`, { method: 'PUT', json: definition('body') })
		const session = await signIn()
		const { status, html } = await getPage(session, '/console/integrations')
		expect(status).toBe(200)
		expect(html).toContain('<a href="/console/integrations">Integrations</a>')
		expect(html).toContain('href="/console/integrations/examples"')
		expect(html).toContain('href="/console/new-integration"')
		expect(html).toMatch(/<code>echo<\/code> <span class="muted">mode async · FIFO off · auth none/)
		expect(html).toContain(`href="/console/integrations/${name}"`)
		expect(html).toContain('api · version 2')
		expect(html).toMatch(
			/<code>receive<\/code> <span class="muted">mode sync · FIFO on · auth hmac \(github\)/,
		)
		expect(html).not.toContain('hunter2-secret')
	})

	it('needs a session', async () => {
		const res = await call('/console/integrations')
		expect(res.status).toBe(303)
		expect(res.headers.get('location')).toBe('/console/login')
	})
})

describe('an integration page', () => {
	it('shows a code integration read-only, and refuses a post to it', async () => {
		const session = await signIn()
		const { status, html } = await getPage(session, '/console/integrations/examples')
		expect(status).toBe(200)
		expect(html).toContain('code integration · read-only')
		expect(html).toContain('&quot;source&quot;: &quot;code&quot;')
		expect(html).not.toContain('<textarea')
		const post = await postForm(session, '/console/integrations/examples', { definition: '{}' })
		expect(post.status).toBe(409)
	})

	it('shows a data definition as the admin API does: secrets redacted, never the values', async () => {
		const name = await createData()
		const session = await signIn()
		const { status, html } = await getPage(session, `/console/integrations/${name}`)
		expect(status).toBe(200)
		expect(html).toContain('api · version 1')
		const text = JSON.parse(textareaOf(html, 'definition') as string)
		expect(text.config.token.default).toBe('[redacted]')
		expect(text.config.channel.default).toBe('#general')
		expect(text.flows.receive.handshakes).toEqual([{ type: 'meta', verifyToken: '[redacted]' }])
		expect(text).not.toHaveProperty('version')
		expect(html).not.toContain('hunter2-secret')
		expect(html).not.toContain('meta-token-secret')
	})

	it('saves the text back unchanged as a new version that keeps the stored secrets', async () => {
		const name = await createData()
		const session = await signIn()
		const { html } = await getPage(session, `/console/integrations/${name}`)
		const res = await postForm(session, `/console/integrations/${name}`, {
			definition: textareaOf(html, 'definition') as string,
		})
		expect(res.status).toBe(303)
		expect(res.headers.get('location')).toBe(`/console/integrations/${name}?saved=2`)
		const saved = await getPage(session, res.headers.get('location') as string)
		expect(saved.html).toContain('Saved as version 2.')
		expect(saved.html).toContain('api · version 2')
		const stored = await registryStub(env).getIntegration(name)
		expect(stored?.version).toBe(2)
		expect(stored?.definition.config?.token?.default).toBe('hunter2-secret')
		expect(stored?.definition.flows.receive?.handshakes).toEqual([
			{ type: 'meta', verifyToken: 'meta-token-secret' },
		])
	})

	it('a placeholder left on a variable no longer secret is stored as typed, not restored', async () => {
		const name = await createData()
		const session = await signIn()
		const value = definition()
		value.config.token = { type: 'string', secret: false, default: '[redacted]' }
		const res = await postForm(session, `/console/integrations/${name}`, {
			definition: JSON.stringify(value),
		})
		expect(res.status).toBe(303)
		const stored = await registryStub(env).getIntegration(name)
		expect(stored?.definition.config?.token?.default).toBe('[redacted]')
	})

	it('an invalid expression: 400, the text kept and the field path shown in place', async () => {
		const name = await createData()
		const session = await signIn()
		const broken = JSON.stringify(definition('{ "got": body <> '), null, 2)
		const res = await postForm(session, `/console/integrations/${name}`, { definition: broken })
		expect(res.status).toBe(400)
		const html = await res.text()
		expect(textareaOf(html, 'definition')).toBe(broken)
		expect(html).toMatch(
			/<p role="alert" class="error" id="definition-error">Invalid request: <code>flows\.receive\.steps\[0\]\.expression<\/code>: invalid JSONata/,
		)
		expect(html).toContain('aria-invalid="true"')
		expect((await registryStub(env).getIntegration(name))?.version).toBe(1)
	})

	it('an unknown step type and a non-JSON text: 400 pages with the error in place', async () => {
		const name = await createData()
		const session = await signIn()
		const unknownStep = JSON.stringify({ flows: { a: { steps: [{ type: 'sql', name: 'q' }] } } })
		const step = await postForm(session, `/console/integrations/${name}`, {
			definition: unknownStep,
		})
		expect(step.status).toBe(400)
		const stepHtml = await step.text()
		expect(stepHtml).toContain('<code>flows.a.steps[0].type</code>: unknown step type')
		expect(textareaOf(stepHtml, 'definition')).toBe(unknownStep)

		const notJson = '{ "flows": <script>alert(1)</script>'
		const res = await postForm(session, `/console/integrations/${name}`, { definition: notJson })
		expect(res.status).toBe(400)
		const html = await res.text()
		expect(html).toContain('<code>(body)</code>: malformed JSON')
		expect(html).not.toContain('<script>alert(1)')
		expect(textareaOf(html, 'definition')).toBe(notJson)
	})

	it('malformed posts are 4xx, never 5xx', async () => {
		const name = await createData()
		const session = await signIn()
		const missing = await postForm(session, `/console/integrations/${name}`, {})
		expect(missing.status).toBe(400)
		const multipart = await call(`/console/integrations/${name}`, {
			method: 'POST',
			headers: {
				cookie: session.cookie,
				origin: 'https://gateway.test',
				'content-type': 'multipart/form-data; boundary=XYZ',
			},
			body: '--XYZ\r\nbroken',
		})
		expect(multipart.status).toBe(400)
		const deep = await postForm(session, `/console/integrations/${name}`, {
			definition: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
		})
		expect(deep.status).toBe(400)
		const unknown = await postForm(session, '/console/integrations/no-such-thing', {
			definition: '{}',
		})
		expect(unknown.status).toBe(404)
		expect((await getPage(session, '/console/integrations/no-such-thing')).status).toBe(404)
		expect((await getPage(session, '/console/integrations/%E0%A4%A')).status).toBe(404)
	})

	it('a post without the session form token is refused', async () => {
		const name = await createData()
		const session = await signIn()
		const res = await postForm(
			{ ...session, csrf: '0'.repeat(64) },
			`/console/integrations/${name}`,
			{
				definition: '{}',
			},
		)
		expect(res.status).toBe(403)
	})
})

describe('the new integration form', () => {
	it('offers a starter definition', async () => {
		const session = await signIn()
		const { status, html } = await getPage(session, '/console/new-integration')
		expect(status).toBe(200)
		const starter = JSON.parse(textareaOf(html, 'definition') as string)
		expect(Object.keys(starter.flows)).toEqual(['receive'])
	})

	it('creates a data integration at version 1', async () => {
		const session = await signIn()
		const name = `console-new-${Date.now()}`
		const res = await postForm(session, '/console/integrations', {
			name,
			definition: JSON.stringify(definition()),
		})
		expect(res.status).toBe(303)
		expect(res.headers.get('location')).toBe(`/console/integrations/${name}?saved=1`)
		const listed = await getPage(session, '/console/integrations')
		expect(listed.html).toContain(`href="/console/integrations/${name}"`)
		const api = await admin(`/api/integrations/${name}`)
		expect(((await api.json()) as { version: number }).version).toBe(1)
	})

	it('refuses a bad name, a taken name, a code name and a bad definition, keeping the form', async () => {
		const existing = await createData()
		const session = await signIn()
		const text = JSON.stringify(definition())
		const cases: Array<[string, string, number, string]> = [
			['bad name!', text, 400, 'Invalid request: <code>name</code>: must be letters'],
			['', text, 400, 'Invalid request: <code>name</code>'],
			[existing, text, 409, `Integration &quot;${existing}&quot; already exists`],
			['examples', text, 409, '&quot;examples&quot; is a code integration'],
			[`fresh-${Date.now()}`, '{"flows":{}}', 400, '<code>flows</code>: at least one flow'],
		]
		for (const [name, definitionText, status, error] of cases) {
			const res = await postForm(session, '/console/integrations', {
				name,
				definition: definitionText,
			})
			expect(res.status, name).toBe(status)
			const html = await res.text()
			expect(html, name).toContain(error)
			expect(textareaOf(html, 'definition'), name).toBe(definitionText)
			expect(html, name).toContain(`value="${name.replaceAll('"', '&quot;')}"`)
		}
		expect((await registryStub(env).getIntegration(existing))?.version).toBe(1)
		const missing = await postForm(session, '/console/integrations', { definition: text })
		expect(missing.status).toBe(400)
	})
})
