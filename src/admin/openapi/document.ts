/**
 * The OpenAPI 3.1 document of the gateway: the admin API, with request schemas built
 * from the very zod schemas the routes validate with and a schema for every response,
 * and the public trigger and result URLs. Complete enough to generate a client from.
 * @module
 */
import { adminPaths } from './admin-paths'
import { components } from './components'
import { publicPaths } from './public-paths'

export function openApiDocument(origin: string): Record<string, unknown> {
	return {
		openapi: '3.1.0',
		info: {
			title: 'triggerflare',
			version: '1',
			description:
				'The admin API of a triggerflare gateway (instances, integrations, endpoints, executions), authenticated with `Authorization: Bearer <ADMIN_TOKEN>`; and its public trigger and result URLs, which live at the origin and take no token.',
		},
		servers: [{ url: `${origin}/api` }],
		security: [{ bearer: [] }],
		tags: [
			{ name: 'instances', description: 'An integration deployed for one customer' },
			{ name: 'integrations', description: 'Code integrations, and integrations as data' },
			{ name: 'endpoints', description: 'Trigger URLs and their config' },
			{ name: 'executions', description: 'What each accepted request did' },
			{ name: 'trigger', description: 'Where senders deliver webhooks (no admin token)' },
			{ name: 'results', description: 'Where synchronous callers read results (no admin token)' },
			{ name: 'meta', description: 'This document' },
		],
		components: components(),
		paths: { ...adminPaths, ...publicPaths(origin) },
	}
}
