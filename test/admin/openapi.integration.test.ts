/**
 * The OpenAPI document: request schemas from the same zod schemas the routes validate
 * with, a schema for every response, every `$ref` resolving, and real responses of the
 * gateway (admin API, trigger and result URLs, errors) valid against what it documents.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { admin, call, createExamples, post, postJson, waitForStatus } from '../helpers'
import {
	type Doc,
	deref,
	expectDocumented,
	fetchDoc,
	type Json,
	operations,
	refsIn,
	resolve,
	schemaOf,
	validateAgainst,
} from './openapi-helpers'

let doc: Doc

beforeAll(async () => {
	doc = await fetchDoc()
})

describe('GET /api/openapi.json', () => {
	it('describes every route, with request schemas that match validation', async () => {
		expect(doc.openapi).toBe('3.1.0')
		expect(doc.servers[0]?.url).toBe('https://gateway.test/api')
		expect(Object.keys(doc.paths).sort()).toEqual([
			'/endpoints/{id}',
			'/endpoints/{id}/activity',
			'/endpoints/{id}/captures',
			'/endpoints/{id}/captures/{capture}/adopt',
			'/endpoints/{id}/captures/{capture}/reveal',
			'/endpoints/{id}/replay',
			'/executions',
			'/executions/{id}',
			'/executions/{id}/replay',
			'/instances',
			'/instances/{id}',
			'/instances/{id}/lifecycle',
			'/integrations',
			'/integrations/{name}',
			'/openapi.json',
			'/results/{executionId}/{token}',
			'/trigger/{endpointId}',
			'/trigger/{endpointId}/{path}',
		])
		const bodyOf = (path: string, method: string) => {
			const op = doc.paths[path]?.[method] as { requestBody: Json }
			const content = op.requestBody.content as Record<string, { schema: Json }>
			return deref(doc, content['application/json']?.schema) as {
				properties: Json
				required?: string[]
			}
		}
		const create = bodyOf('/instances', 'post')
		expect(create.required).toEqual(['integration'])
		expect(Object.keys(create.properties)).toEqual([
			'integration',
			'name',
			'routingKey',
			'config',
			'endpointMode',
		])
		expect(Object.keys(bodyOf('/endpoints/{id}', 'patch').properties)).toContain('rateLimit')
		const definition = bodyOf('/integrations/{name}', 'put')
		expect(definition.required).toEqual(['flows'])
		expect(Object.keys(definition.properties)).toEqual([
			'description',
			'config',
			'endpointMode',
			'flowSelector',
			'instanceSelector',
			'flows',
		])
		// What the document calls required, the API enforces.
		const missing = await admin('/api/instances', { method: 'POST', json: { name: 'x' } })
		expect(missing.status).toBe(400)
		expect(((await missing.json()) as { error: string }).error).toMatch(
			/^Invalid request: integration/,
		)
	})

	it('resolves every $ref inside the document', () => {
		const refs = refsIn(doc)
		expect(refs.length).toBeGreaterThan(100)
		const broken = refs.filter(({ ref }) => resolve(doc, ref) === undefined)
		expect(broken).toEqual([])
		// Recursive definitions (steps, JSON values) are named components, not zod's $defs.
		expect(JSON.stringify(doc)).not.toContain('$defs')
		expect(Object.keys(doc.components.schemas)).toEqual(
			expect.arrayContaining(['Step', 'Steps', 'JsonValue', 'DataFlow', 'CustomResponse']),
		)
	})

	it('gives every operation an id, a success response with a schema, and errors as Error', () => {
		const ops = operations(doc)
		// 16 admin operations; 7 methods on each of the 2 trigger paths; the result URL.
		expect(ops.length).toBe(35)
		const ids = ops.map(({ op }) => op.operationId)
		expect(new Set(ids).size).toBe(ops.length)
		for (const { path, method, op } of ops) {
			const where = `${method} ${path}`
			expect(typeof op.operationId, where).toBe('string')
			const responses = op.responses as Json
			const statuses = Object.keys(responses)
			const successes = statuses.filter((s) => s.startsWith('2') || s === '303')
			expect(successes.length, where).toBeGreaterThan(0)
			for (const status of statuses) {
				const response = deref(doc, responses[status])
				const content = response.content as Record<string, { schema?: Json }> | undefined
				expect(typeof response.description, `${where} ${status}`).toBe('string')
				if (status === '204' || status === '303' || method === 'head') {
					expect(content, `${where} ${status} has no body`).toBeUndefined()
					continue
				}
				expect(content, `${where} ${status} has a body`).toBeDefined()
				for (const [type, media] of Object.entries(content ?? {})) {
					expect(media.schema, `${where} ${status} ${type}`).toBeDefined()
				}
				if (/^[45]/.test(status)) {
					expect(content?.['application/json']?.schema, `${where} ${status}`).toEqual(
						schemaOf('Error'),
					)
				}
			}
		}
		const triggerPost = doc.paths['/trigger/{endpointId}']?.post as { responses: Json }
		const redirect = deref(doc, triggerPost.responses['303'])
		expect(Object.keys(redirect.headers as Json)).toContain('Location')
		// Admin operations take the bearer token; trigger and result URLs take none.
		expect(doc.security).toEqual([{ bearer: [] }])
		for (const { path, op } of ops) {
			if (path.startsWith('/trigger') || path.startsWith('/results'))
				expect(op.security, path).toEqual([])
		}
	})

	it('closes every object it returns, and keeps integrationVersion on executions', () => {
		const execution = doc.components.schemas.Execution as {
			additionalProperties: boolean
			properties: Record<string, Json>
		}
		expect(execution.additionalProperties).toBe(false)
		expect(execution.properties.integrationVersion?.type).toEqual(['integer', 'null'])
		for (const name of ['Endpoint', 'Instance', 'DeployedInstance', 'DataIntegration', 'Error'])
			expect(doc.components.schemas[name]?.additionalProperties, name).toBe(false)
		// A field the API does not send is refused, as is a missing one.
		const error = schemaOf('Error')
		expect(validateAgainst(doc, error, { error: 'x' })).toEqual([])
		expect(validateAgainst(doc, error, { error: 'x', extra: 1 })).not.toEqual([])
		expect(validateAgainst(doc, error, {})).not.toEqual([])
	})
})

describe('real responses match the document', () => {
	it('instances: deploy, read, list, lifecycle, delete', async () => {
		const created = await admin('/api/instances', {
			method: 'POST',
			json: { integration: 'examples', name: 'OpenAPI' },
		})
		expect(created.status).toBe(201)
		const instance = (await expectDocumented(doc, created, '/instances', 'post')) as { id: string }
		const path = `/api/instances/${instance.id}`
		await expectDocumented(doc, await admin(path), '/instances/{id}', 'get')
		await expectDocumented(doc, await admin('/api/instances'), '/instances', 'get')
		await expectDocumented(
			doc,
			await admin(`${path}/lifecycle`),
			'/instances/{id}/lifecycle',
			'get',
		)
		await expectDocumented(
			doc,
			await admin(path, { method: 'DELETE' }),
			'/instances/{id}',
			'delete',
		)
		const gone = await admin(path)
		expect(gone.status).toBe(404)
		await expectDocumented(doc, gone, '/instances/{id}', 'get')
	})

	it('endpoints: activity with refusal reasons, and handshake captures', async () => {
		const { echo } = await createExamples()
		await admin(`/api/endpoints/${echo}`, {
			method: 'PATCH',
			json: {
				handshakes: [{ type: 'asana' }],
				allowedIps: ['192.0.2.0/24'],
				auth: {
					type: 'hmac',
					algorithm: 'sha256',
					header: 'x-hook-signature',
					encoding: 'hex',
					secrets: ['x'],
				},
			},
		})
		const from = { 'cf-connecting-ip': '192.0.2.1' }
		await call(`/trigger/${echo}`, { method: 'POST', headers: { ...from, 'x-hook-secret': 'h' } })
		await call(`/trigger/${echo}`, { method: 'POST', headers: { 'cf-connecting-ip': '10.0.0.1' } })
		await new Promise((r) => setTimeout(r, 1100))
		const activity = await admin(`/api/endpoints/${echo}/activity?minutes=2`)
		const body = await expectDocumented(doc, activity, '/endpoints/{id}/activity', 'get')
		expect(body).toMatchObject({ totals: { forbidden: 1, reasons: { ip: 1 } } })
		const list = await admin(`/api/endpoints/${echo}/captures`)
		const { captures } = (await expectDocumented(doc, list, '/endpoints/{id}/captures', 'get')) as {
			captures: Array<{ id: string }>
		}
		const id = captures[0]?.id as string
		const reveal = await admin(`/api/endpoints/${echo}/captures/${id}/reveal`, { method: 'POST' })
		await expectDocumented(doc, reveal, '/endpoints/{id}/captures/{capture}/reveal', 'post')
		const adopt = await admin(`/api/endpoints/${echo}/captures/${id}/adopt`, { method: 'POST' })
		await expectDocumented(doc, adopt, '/endpoints/{id}/captures/{capture}/adopt', 'post')
		const gone = await admin(`/api/endpoints/${echo}/captures/${id}/adopt`, { method: 'POST' })
		expect(gone.status).toBe(404)
		await expectDocumented(doc, gone, '/endpoints/{id}/captures/{capture}/adopt', 'post')
	})

	it('endpoints: every auth type, handshakes, FIFO lanes and custom responses', async () => {
		const { echo, fail, digest } = await createExamples()
		const read = await admin(`/api/endpoints/${echo}`)
		expect(read.status).toBe(200)
		await expectDocumented(doc, read, '/endpoints/{id}', 'get')
		const patches: Array<[string, unknown]> = [
			[
				echo,
				{
					auth: { type: 'hmac', preset: 'github', secrets: ['s1', 's2'] },
					handshakes: [
						{ type: 'meta', verifyToken: 'v' },
						{ type: 'slack' },
						{ type: 'zoom', secretToken: 'z' },
						{ type: 'twitter', consumerSecret: 'c' },
					],
					fifo: { key: 'body:record.id' },
					rateLimit: { requestsPerSecond: 10 },
					idempotencyHeader: 'X-Delivery',
					response: { status: 202, body: 'ok', headers: { 'x-a': 'b' } },
				},
			],
			[
				fail,
				{
					auth: {
						type: 'hmac',
						algorithm: 'sha256',
						header: 'x-signature',
						encoding: 'hex',
						prefix: 'sha256=',
						secrets: ['s'],
						toleranceSeconds: 60,
					},
					response: { preset: 'salesforce-ack' },
					fifo: true,
				},
			],
			[digest, { auth: { type: 'basic', username: 'u', password: 'p' }, mode: 'sync' }],
			[digest, { auth: { type: 'apiKey', keys: ['k'] } }],
			[
				digest,
				{
					auth: {
						type: 'publicKey',
						preset: 'discord',
						keys: ['a'.repeat(64)],
						toleranceSeconds: 60,
					},
				},
			],
			[
				digest,
				{
					auth: {
						type: 'publicKey',
						preset: 'aws-sns',
						topicArns: ['arn:aws:sns:us-east-1:123456789012:orders'],
					},
				},
			],
			[digest, { auth: { type: 'none' }, response: null }],
		]
		for (const [id, patch] of patches) {
			const res = await admin(`/api/endpoints/${id}`, { method: 'PATCH', json: patch })
			expect(res.status).toBe(200)
			const body = await expectDocumented(doc, res, '/endpoints/{id}', 'patch')
			expect(JSON.stringify(body)).not.toMatch(/"(s1|s2|v|z|c|p|k)"/)
		}
		const invalid = await admin(`/api/endpoints/${echo}`, {
			method: 'PATCH',
			json: { rateLimit: { requestsPerSecond: 0 } },
		})
		expect(invalid.status).toBe(400)
		await expectDocumented(doc, invalid, '/endpoints/{id}', 'patch')
		const huge = await admin(`/api/endpoints/${echo}`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json' },
			body: `{"mode":"${'x'.repeat(1024 * 1024)}"}`,
		})
		expect(huge.status).toBe(413)
		await expectDocumented(doc, huge, '/endpoints/{id}', 'patch')
		const malformed = await admin('/api/endpoints/not-an-id')
		expect(malformed.status).toBe(400)
		await expectDocumented(doc, malformed, '/endpoints/{id}', 'get')
		const unknown = await admin(`/api/endpoints/${'a'.repeat(26)}`)
		expect(unknown.status).toBe(404)
		await expectDocumented(doc, unknown, '/endpoints/{id}', 'get')
		const noToken = await call(`/api/endpoints/${echo}`)
		expect(noToken.status).toBe(401)
		await expectDocumented(doc, noToken, '/endpoints/{id}', 'get')
	})

	it('triggers, results and executions: list, read, replay, bulk replay', async () => {
		const { echo, instance } = await createExamples()
		const unreliable = instance.endpoints.find((e) => e.flow === 'unreliable')?.id as string
		const trigger = '/trigger/{endpointId}'

		const accepted = await postJson(echo, { delayMs: 1, hello: 'world' })
		expect(accepted.status).toBe(200)
		const { executionId } = (await expectDocumented(doc, accepted, trigger, 'post')) as {
			executionId: string
		}
		await waitForStatus(executionId)
		const failing = await postJson(unreliable, { failUntil: '2999-01-01T00:00:00Z' })
		const failed = ((await failing.json()) as { executionId: string }).executionId
		await waitForStatus(failed)
		const logging = await postJson(unreliable, { failUntil: '2000-01-01T00:00:00Z' })
		await waitForStatus(((await logging.json()) as { executionId: string }).executionId)

		for (const id of [executionId, failed]) {
			await expectDocumented(doc, await admin(`/api/executions/${id}`), '/executions/{id}', 'get')
		}
		const list = await admin(`/api/executions?instance=${instance.id}&limit=2`)
		const page = (await expectDocumented(doc, list, '/executions', 'get')) as {
			executions: Array<{ steps: unknown[]; logs: unknown[]; attemptErrors: unknown[] }>
			nextCursor: string | null
		}
		expect(page.nextCursor).not.toBeNull()
		const all = await admin(`/api/executions?instance=${instance.id}`)
		const every = (await expectDocumented(doc, all, '/executions', 'get')) as typeof page
		// Steps, logs and attempt errors were all there to be checked.
		expect(every.executions.some((e) => e.steps.length > 0)).toBe(true)
		expect(every.executions.some((e) => e.logs.length > 0)).toBe(true)
		expect(every.executions.some((e) => e.attemptErrors.length > 0)).toBe(true)

		const replay = await admin(`/api/executions/${executionId}/replay`, { method: 'POST' })
		expect(replay.status).toBe(202)
		await expectDocumented(doc, replay, '/executions/{id}/replay', 'post')
		const bulk = await admin(`/api/endpoints/${unreliable}/replay`, {
			method: 'POST',
			json: { status: 'failed' },
		})
		expect(bulk.status).toBe(202)
		await expectDocumented(doc, bulk, '/endpoints/{id}/replay', 'post')

		const sync = await postJson(echo, { sync: true }, { 'triggerflare-synchronous': 'true' })
		expect(sync.status).toBe(303)
		await expectDocumented(doc, sync, trigger, 'post')
		const location = new URL(sync.headers.get('location') as string)
		const result = await call(location.pathname)
		expect(result.status).toBe(200)
		await expectDocumented(doc, result, '/results/{executionId}/{token}', 'get')
		const expired = await call(`${location.pathname.slice(0, -4)}aaaa`)
		expect(expired.status).toBe(404)
		await expectDocumented(doc, expired, '/results/{executionId}/{token}', 'get')

		const malformed = await post(echo, '{oops', { 'content-type': 'application/json' })
		expect(malformed.status).toBe(400)
		await expectDocumented(doc, malformed, trigger, 'post')
		const unknown = await postJson('a'.repeat(26), {})
		expect(unknown.status).toBe(404)
		await expectDocumented(doc, unknown, trigger, 'post')
		const notFound = await admin(`/api/executions/${'a'.repeat(26)}-9`)
		expect(notFound.status).toBe(404)
		await expectDocumented(doc, notFound, '/executions/{id}', 'get')
		const badQuery = await admin('/api/executions?status=lost')
		expect(badQuery.status).toBe(400)
		await expectDocumented(doc, badQuery, '/executions', 'get')
	})

	it('integrations: list, read code and data ones, create, replace, delete', async () => {
		await expectDocumented(doc, await admin('/api/integrations'), '/integrations', 'get')
		const path = '/integrations/{name}'
		await expectDocumented(doc, await admin('/api/integrations/examples'), path, 'get')
		const definition = {
			description: 'Forward opened issues',
			config: {
				target: { type: 'string', required: true },
				token: { type: 'string', secret: true, default: 'hidden' },
			},
			flows: {
				notify: {
					filter: 'body.action = "opened"',
					auth: { type: 'hmac', preset: 'github', secretConfig: 'token' },
					handshakes: [{ type: 'meta', verifyToken: 'hidden-token' }],
					response: { status: 202 },
					retry: { attempts: 2 },
					steps: [
						{ type: 'transform', name: 'text', expression: '"Opened: " & body.title' },
						{
							type: 'branch',
							name: 'check',
							condition: 'true',
							whenTrue: [
								{
									type: 'loop',
									name: 'each',
									items: '[1,2]',
									steps: [{ type: 'transform', name: 'x', expression: 'item' }],
								},
							],
						},
						{ type: 'http', name: 'post', url: 'config.target', body: '{"text": steps.text}' },
					],
				},
			},
		}
		const url = '/api/integrations/openapi-forwarder'
		const created = await admin(url, { method: 'PUT', json: definition })
		expect(created.status).toBe(201)
		await expectDocumented(doc, created, path, 'put')
		const replaced = await admin(url, { method: 'PUT', json: { ...definition, description: 'v2' } })
		expect(replaced.status).toBe(200)
		await expectDocumented(doc, replaced, path, 'put')
		const read = await admin(url)
		const shown = await expectDocumented(doc, read, path, 'get')
		expect(JSON.stringify(shown)).not.toMatch(/hidden/)
		await expectDocumented(doc, await admin('/api/integrations'), '/integrations', 'get')

		const invalid = await admin(url, {
			method: 'PUT',
			json: { flows: { a: { steps: [{ type: 'nope', name: 'x' }] } } },
		})
		expect(invalid.status).toBe(400)
		await expectDocumented(doc, invalid, path, 'put')
		const code = await admin('/api/integrations/examples', { method: 'DELETE' })
		expect(code.status).toBe(409)
		await expectDocumented(doc, code, path, 'delete')
		const deleted = await admin(url, { method: 'DELETE' })
		expect(deleted.status).toBe(204)
		await expectDocumented(doc, deleted, path, 'delete')
		const missing = await admin(url)
		expect(missing.status).toBe(404)
		await expectDocumented(doc, missing, path, 'get')
	})

	it('a deployed data integration: its endpoint, filtered and run requests, its executions', async () => {
		const url = '/api/integrations/openapi-orders'
		const put = await admin(url, {
			method: 'PUT',
			json: {
				config: { label: { type: 'string', default: 'order' } },
				flows: {
					orders: {
						filter: 'body.type = "order.created"',
						steps: [
							{
								type: 'transform',
								name: 'order',
								expression: '{ "id": body.id, "label": config.label }',
							},
						],
					},
				},
			},
		})
		expect(put.status).toBe(201)
		const deploy = await admin('/api/instances', {
			method: 'POST',
			json: { integration: 'openapi-orders' },
		})
		expect(deploy.status).toBe(201)
		const instance = (await expectDocumented(doc, deploy, '/instances', 'post')) as {
			id: string
			endpoints: Array<{ id: string }>
		}
		const endpointId = instance.endpoints[0]?.id as string
		const endpoint = await admin(`/api/endpoints/${endpointId}`)
		expect(await expectDocumented(doc, endpoint, '/endpoints/{id}', 'get')).toMatchObject({
			integrationVersion: 1,
		})

		const trigger = '/trigger/{endpointId}'
		const dropped = await postJson(endpointId, { type: 'order.deleted', id: 1 })
		expect(dropped.status).toBe(200)
		expect(await expectDocumented(doc, dropped, trigger, 'post')).toEqual({ filtered: true })
		const accepted = await postJson(endpointId, { type: 'order.created', id: 2 })
		expect(accepted.status).toBe(200)
		const { executionId } = (await expectDocumented(doc, accepted, trigger, 'post')) as {
			executionId: string
		}
		await waitForStatus(executionId)
		const execution = await admin(`/api/executions/${executionId}`)
		expect(await expectDocumented(doc, execution, '/executions/{id}', 'get')).toMatchObject({
			status: 'succeeded',
			integrationVersion: 1,
		})
		const inUse = await admin(url, { method: 'DELETE' })
		expect(inUse.status).toBe(409)
		await expectDocumented(doc, inUse, '/integrations/{name}', 'delete')
		const removed = await admin(`/api/instances/${instance.id}`, { method: 'DELETE' })
		await expectDocumented(doc, removed, '/instances/{id}', 'delete')
	})
})
