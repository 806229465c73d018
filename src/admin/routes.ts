/**
 * The admin API under `/api`, behind the bearer token: instances, integrations, endpoints,
 * executions.
 * @module
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Env } from '../env'
import { GatewayError } from '../lib/errors'
import { publicOrigin } from '../lib/urls'
import { MAX_ADMIN_BODY_BYTES } from '../limits'
import { requireAdmin } from './auth'
import { endpointRoutes } from './endpoints'
import { executionRoutes } from './executions'
import { instanceRoutes } from './instances'
import { integrationRoutes } from './integrations'
import { openApiDocument } from './openapi/document'

export const adminRoutes = new Hono<{ Bindings: Env }>()
// The API description is public, like any API's documentation; it holds no data.
adminRoutes.get('/openapi.json', (c) => c.json(openApiDocument(publicOrigin(c.env, c.req.url))))
adminRoutes.use('*', requireAdmin)
// Admin documents are configs and definitions; a larger body is refused before it is
// buffered (an endpoint keeps its integration's definition in one stored value).
adminRoutes.use(
	'*',
	bodyLimit({
		maxSize: MAX_ADMIN_BODY_BYTES,
		onError: () =>
			new GatewayError(
				413,
				'payload_too_large',
				`Request body exceeds the admin API's limit of ${MAX_ADMIN_BODY_BYTES} bytes.`,
			).getResponse(),
	}),
)
adminRoutes.route('/instances', instanceRoutes)
adminRoutes.route('/integrations', integrationRoutes)
adminRoutes.route('/endpoints', endpointRoutes)
adminRoutes.route('/executions', executionRoutes)
