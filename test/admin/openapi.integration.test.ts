/**
 * The OpenAPI document is generated from the same schemas the routes validate with.
 */
import { describe, expect, it } from 'vitest'
import { admin, call } from '../helpers'

interface Doc {
	openapi: string
	servers: Array<{ url: string }>
	paths: Record<
		string,
		Record<
			string,
			{
				requestBody?: {
					content: Record<
						string,
						{ schema: { properties?: Record<string, unknown>; required?: string[] } }
					>
				}
			}
		>
	>
}

describe('GET /api/openapi.json', () => {
	it('describes every admin route, with request schemas that match validation', async () => {
		const res = await call('/api/openapi.json')
		expect(res.status).toBe(200)
		const doc = (await res.json()) as Doc
		expect(doc.openapi).toBe('3.1.0')
		expect(doc.servers[0]?.url).toBe('https://gateway.test/api')
		expect(Object.keys(doc.paths).sort()).toEqual([
			'/endpoints/{id}',
			'/endpoints/{id}/replay',
			'/executions',
			'/executions/{id}',
			'/executions/{id}/replay',
			'/instances',
			'/instances/{id}',
			'/instances/{id}/lifecycle',
			'/integrations',
			'/integrations/{name}',
		])
		const create = doc.paths['/instances']?.post?.requestBody?.content['application/json']?.schema
		expect(create?.required).toEqual(['integration'])
		expect(Object.keys(create?.properties ?? {})).toEqual([
			'integration',
			'name',
			'routingKey',
			'config',
			'endpointMode',
		])
		const patch =
			doc.paths['/endpoints/{id}']?.patch?.requestBody?.content['application/json']?.schema
		expect(Object.keys(patch?.properties ?? {})).toContain('rateLimit')
		const definition =
			doc.paths['/integrations/{name}']?.put?.requestBody?.content['application/json']?.schema
		expect(definition?.required).toEqual(['flows'])
		expect(Object.keys(definition?.properties ?? {})).toEqual([
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
})
