/**
 * "Send a test webhook" on an endpoint's page: the request goes through the real trigger
 * path (auth, parsing, rate limit), an execution it starts opens with its steps and
 * result, and a refusal shows what the gateway answered.
 */
import { describe, expect, it } from 'vitest'
import { admin, call, createExamples, getExecution, patchEndpoint } from '../helpers'
import { getPage, postForm, signIn, textareaOf } from './session'

const JSON_BODY = { body: '{"hello":"console","delayMs":20}', contentType: 'application/json' }

describe('test webhook form', () => {
	it('is on the endpoint page, prefilled', async () => {
		const { echo } = await createExamples()
		const session = await signIn()
		const { status, html } = await getPage(session, `/console/endpoints/${echo}`)
		expect(status).toBe(200)
		expect(html).toContain(`action="/console/endpoints/${echo}/test"`)
		expect(JSON.parse(textareaOf(html, 'test-body') as string)).toEqual({ hello: 'world' })
		expect(html).toContain('value="application/json"')
	})

	it('starts an execution and opens it finished, with its request, steps and result', async () => {
		const { echo } = await createExamples()
		const session = await signIn()
		const res = await postForm(session, `/console/endpoints/${echo}/test`, {
			...JSON_BODY,
			headers: 'X-Custom: from the console\n\nX-Other:two',
		})
		expect(res.status).toBe(303)
		const location = res.headers.get('location') as string
		const match = new RegExp(`^/console/executions/(${echo}-\\d+)\\?sent=200$`).exec(location)
		expect(match).not.toBeNull()
		const executionId = match?.[1] as string

		// The gateway recorded it as a sender's request, and the bounded wait saw it finish.
		const exec = await getExecution(executionId)
		expect(exec.status).toBe('succeeded')
		const { status, html } = await getPage(session, location)
		expect(status).toBe(200)
		expect(html).toContain('<span class="status succeeded">succeeded</span>')
		expect(html).toContain('Test webhook sent: the gateway answered 200.')
		expect(html).not.toContain('Refresh</a>')
		expect(html).toMatch(/<th>x-custom<\/th><td><code>from the console<\/code>/)
		expect(html).toMatch(/<th>x-other<\/th><td><code>two<\/code>/)
		expect(html).not.toMatch(/<th>cookie<\/th>/)
		expect(html).toContain('&quot;name&quot;: &quot;wait&quot;')
		const result = /<h2>Result<\/h2><pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] as string
		expect(result).toContain('&quot;hello&quot;: &quot;console&quot;')
		expect(result).toContain('&quot;x-custom&quot;: &quot;from the console&quot;')
	})

	it('runs a data integration: a filtered test says so, a passing one opens its execution', async () => {
		const definition = {
			flows: {
				orders: {
					filter: 'body.type = "order.created"',
					steps: [{ type: 'transform', name: 'total', expression: '{ "total": body.amount * 2 }' }],
				},
			},
		}
		const put = await admin('/api/integrations/console-orders', { method: 'PUT', json: definition })
		expect(put.status).toBe(201)
		const deployed = await admin('/api/instances', {
			method: 'POST',
			json: { integration: 'console-orders' },
		})
		const endpoint = ((await deployed.json()) as { endpoints: Array<{ id: string }> }).endpoints[0]
			?.id as string
		const session = await signIn()

		const filtered = await postForm(session, `/console/endpoints/${endpoint}/test`, {
			body: '{"type":"order.refunded"}',
			contentType: 'application/json',
			headers: '',
		})
		expect(filtered.status).toBe(200)
		expect(await filtered.text()).toContain('{&quot;filtered&quot;:true}')

		const ran = await postForm(session, `/console/endpoints/${endpoint}/test`, {
			body: '{"type":"order.created","amount":21}',
			contentType: 'application/json',
			headers: '',
		})
		expect(ran.status).toBe(303)
		const { html } = await getPage(session, ran.headers.get('location') as string)
		expect(html).toContain('<span class="status succeeded">succeeded</span>')
		const result = /<h2>Result<\/h2><pre>([\s\S]*?)<\/pre>/.exec(html)?.[1] as string
		expect(result).toContain('&quot;total&quot;: 42')
	})

	it('goes through the endpoint auth: unsigned refused with the gateway answer, keyed accepted', async () => {
		const { echo } = await createExamples()
		await patchEndpoint(echo, { auth: { type: 'apiKey', keys: ['console-key'] } })
		const session = await signIn()
		const refused = await postForm(session, `/console/endpoints/${echo}/test`, {
			...JSON_BODY,
			headers: '',
		})
		expect(refused.status).toBe(200)
		const html = await refused.text()
		expect(html).toContain('No execution started: the gateway answered <strong>401</strong>')
		expect(html).toContain('{&quot;error&quot;:&quot;Unauthorized.&quot;}')
		// The form keeps what was sent.
		expect(textareaOf(html, 'test-body')).toBe(JSON_BODY.body)
		expect(html).not.toContain(`/console/executions/${echo}-1`)

		const keyed = await postForm(session, `/console/endpoints/${echo}/test`, {
			...JSON_BODY,
			headers: 'api-key: console-key',
		})
		expect(keyed.status).toBe(303)
		expect(keyed.headers.get('location')).toBe(`/console/executions/${echo}-1?sent=200`)
	})

	it('shows the parse refusal of a malformed JSON body', async () => {
		const { echo } = await createExamples()
		const session = await signIn()
		const res = await postForm(session, `/console/endpoints/${echo}/test`, {
			body: '{"unterminated": ',
			contentType: 'application/json',
			headers: '',
		})
		expect(res.status).toBe(200)
		const html = await res.text()
		expect(html).toContain('the gateway answered <strong>400</strong>')
		expect(html).toContain('Received malformed JSON payload.')
	})

	it('a header line that is not "Name: value": 400, the form kept, nothing sent', async () => {
		const { echo } = await createExamples()
		const session = await signIn()
		for (const headers of ['just text', 'Bad Name: x', 'X-Ok: 1\n: no name']) {
			const res = await postForm(session, `/console/endpoints/${echo}/test`, {
				...JSON_BODY,
				headers,
			})
			expect(res.status, headers).toBe(400)
			const html = await res.text()
			expect(html, headers).toMatch(
				/<p role="alert" class="error" id="test-error">Headers, line \d/,
			)
			expect(textareaOf(html, 'test-headers'), headers).toBe(headers)
		}
		const res = await postForm(session, `/console/endpoints/${echo}/test`, {
			...JSON_BODY,
			headers: 'X-Bad: a\u0000b',
		})
		expect(res.status).toBe(400)
		expect(await res.text()).toContain('Headers: ')
		const { html } = await getPage(session, `/console/endpoints/${echo}`)
		expect(html).toContain('No executions.')
	})

	it('is refused without the session form token, and for unknown endpoints', async () => {
		const { echo } = await createExamples()
		const session = await signIn()
		const forged = await postForm(
			{ ...session, csrf: '0'.repeat(64) },
			`/console/endpoints/${echo}/test`,
			JSON_BODY,
		)
		expect(forged.status).toBe(403)
		for (const id of ['aaaaaaaaaaaaaaaaaaaaaaaaaa', '%E0%A4%A', 'nope']) {
			const res = await postForm(session, `/console/endpoints/${id}/test`, JSON_BODY)
			expect(res.status, id).toBe(404)
		}
		const broken = await call(`/console/endpoints/${echo}/test`, {
			method: 'POST',
			headers: {
				cookie: session.cookie,
				origin: 'https://gateway.test',
				'content-type': 'multipart/form-data; boundary=XYZ',
			},
			body: 'garbage',
		})
		expect(broken.status).toBe(400)
		const { html } = await getPage(session, `/console/endpoints/${echo}`)
		expect(html).toContain('No executions.')
	})
})
