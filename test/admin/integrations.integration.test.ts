/**
 * Integrations as data through the admin API: PUT creates or replaces (a new version
 * each time), GET lists every integration (code ones included) and reads one with its
 * secrets hidden, DELETE removes one; code integrations cannot be taken or changed.
 */
import { describe, expect, it } from 'vitest'
import { admin, call } from '../helpers'

const definition = {
	description: 'Forward opened issues',
	config: {
		target: { type: 'string', required: true },
		signingSecret: { type: 'string', secret: true, default: 'do-not-show-me' },
	},
	flows: {
		notify: {
			filter: 'body.action = "opened"',
			auth: { type: 'hmac', preset: 'github', secretConfig: 'signingSecret' },
			handshakes: [{ type: 'meta', verifyToken: 'hidden-token' }],
			steps: [
				{ type: 'transform', name: 'text', expression: '"Opened: " & body.title' },
				{ type: 'http', name: 'post', url: 'config.target', body: '{"text": steps.text}' },
			],
		},
	},
}

function put(name: string, json: unknown) {
	return admin(`/api/integrations/${name}`, { method: 'PUT', json })
}

async function errorOf(res: Response): Promise<string> {
	return ((await res.json()) as { error: string }).error
}

describe('PUT /api/integrations/{name}', () => {
	it('creates (201, version 1), then replaces (200, version 2); secrets are never returned', async () => {
		const created = await put('issue-forwarder', definition)
		expect(created.status).toBe(201)
		const body = (await created.json()) as Record<string, unknown>
		expect(body).toMatchObject({ name: 'issue-forwarder', source: 'api', version: 1 })
		expect(JSON.stringify(body)).not.toContain('do-not-show-me')
		expect(JSON.stringify(body)).not.toContain('hidden-token')

		const replaced = await put('issue-forwarder', {
			...definition,
			description: 'Forward opened and closed issues',
		})
		expect(replaced.status).toBe(200)
		expect(await replaced.json()).toMatchObject({
			name: 'issue-forwarder',
			version: 2,
			description: 'Forward opened and closed issues',
		})

		const read = await admin('/api/integrations/issue-forwarder')
		expect(read.status).toBe(200)
		const shown = (await read.json()) as {
			version: number
			config: Record<string, { default?: unknown }>
			flows: Record<string, { steps: unknown[]; handshakes: unknown[] }>
		}
		expect(shown.version).toBe(2)
		expect(shown.config.signingSecret?.default).toBe('[redacted]')
		expect(shown.flows.notify?.steps).toEqual(definition.flows.notify.steps)
		expect(shown.flows.notify?.handshakes).toEqual([{ type: 'meta', verifyToken: '[redacted]' }])
		expect(JSON.stringify(shown)).not.toContain('do-not-show-me')
	})

	it('refuses an expression that does not compile, naming its path', async () => {
		const broken = structuredClone(definition)
		broken.flows.notify.steps[1] = {
			type: 'http',
			name: 'post',
			url: 'config.target',
			body: '{"a": ',
		}
		const res = await put('broken-expression', broken)
		expect(res.status).toBe(400)
		expect(await errorOf(res)).toMatch(
			/^Invalid request: flows\.notify\.steps\[1\]\.body: invalid JSONata: /,
		)
		expect((await admin('/api/integrations/broken-expression')).status).toBe(404)
	})

	it('refuses an unknown step type', async () => {
		const res = await put('unknown-step', {
			flows: { notify: { steps: [{ type: 'sleep', name: 'nap' }] } },
		})
		expect(res.status).toBe(400)
		expect(await errorOf(res)).toBe(
			'Invalid request: flows.notify.steps[0].type: unknown step type (expected one of transform, http, branch, loop)',
		)
	})

	it('refuses a body that is not JSON', async () => {
		const res = await admin('/api/integrations/not-json', {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: '{',
		})
		expect(res.status).toBe(400)
		expect(await errorOf(res)).toBe('Invalid request: (body): malformed JSON')
	})

	it('refuses a name that is not letters, digits, "_", "." or "-"', async () => {
		const res = await put('bad%20name', definition)
		expect(res.status).toBe(400)
		expect(await errorOf(res)).toBe(
			'Invalid request: name: must be letters, digits, "_", "." or "-"',
		)
	})

	it("refuses a code integration's name with 409", async () => {
		const res = await put('examples', definition)
		expect(res.status).toBe(409)
		expect(await errorOf(res)).toMatch(/code integration/)
	})

	it('requires the admin token', async () => {
		const res = await call('/api/integrations/x', {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(definition),
		})
		expect(res.status).toBe(401)
		expect((await call('/api/integrations')).status).toBe(401)
	})
})

describe('GET /api/integrations', () => {
	it('lists code and API integrations', async () => {
		expect((await put('listed-one', definition)).status).toBe(201)
		const res = await admin('/api/integrations')
		expect(res.status).toBe(200)
		const list = (await res.json()) as Array<{
			name: string
			source: string
			version?: number
			flows: string[]
		}>
		expect(list.find((i) => i.name === 'examples')).toMatchObject({ source: 'code' })
		expect(list.find((i) => i.name === 'examples')?.flows).toContain('echo')
		expect(list.find((i) => i.name === 'listed-one')).toEqual({
			name: 'listed-one',
			source: 'api',
			version: 1,
			flows: ['notify'],
		})
	})

	it('reads a code integration by name, and 404s an unknown one', async () => {
		const code = await admin('/api/integrations/examples')
		expect(code.status).toBe(200)
		expect(await code.json()).toMatchObject({ name: 'examples', source: 'code' })
		const unknown = await admin('/api/integrations/no-such-integration')
		expect(unknown.status).toBe(404)
		expect(await errorOf(unknown)).toBe('Integration not found.')
	})
})

describe('DELETE /api/integrations/{name}', () => {
	it('deletes an unused one (204); it is then gone; a re-creation gets a new version', async () => {
		expect((await put('short-lived', definition)).status).toBe(201)
		const res = await admin('/api/integrations/short-lived', { method: 'DELETE' })
		expect(res.status).toBe(204)
		expect(await res.text()).toBe('')
		expect((await admin('/api/integrations/short-lived')).status).toBe(404)
		const again = await put('short-lived', definition)
		expect(again.status).toBe(201)
		expect(await again.json()).toMatchObject({ version: 2 })
	})

	it('404s an unknown one and 409s a code integration', async () => {
		const unknown = await admin('/api/integrations/never-created', { method: 'DELETE' })
		expect(unknown.status).toBe(404)
		expect(await errorOf(unknown)).toBe('Integration not found.')
		const code = await admin('/api/integrations/examples', { method: 'DELETE' })
		expect(code.status).toBe(409)
		expect((await admin('/api/integrations/examples')).status).toBe(200)
	})
})
