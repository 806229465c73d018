/**
 * The admin API under `/api`, behind the bearer token: instances, integrations, endpoints,
 * executions.
 * @module
 */
import { Hono } from 'hono'
import type { Env } from '../env'
import { publicOrigin } from '../lib/urls'
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
adminRoutes.route('/instances', instanceRoutes)
adminRoutes.route('/integrations', integrationRoutes)
adminRoutes.route('/endpoints', endpointRoutes)
adminRoutes.route('/executions', executionRoutes)
