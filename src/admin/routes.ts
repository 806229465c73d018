/**
 * The admin API under `/api`, behind the bearer token: instances, endpoints, executions.
 * @module
 */
import { Hono } from 'hono'
import type { Env } from '../env'
import { requireAdmin } from './auth'
import { endpointRoutes } from './endpoints'
import { executionRoutes } from './executions'
import { instanceRoutes } from './instances'

export const adminRoutes = new Hono<{ Bindings: Env }>()
adminRoutes.use('*', requireAdmin)
adminRoutes.route('/instances', instanceRoutes)
adminRoutes.route('/endpoints', endpointRoutes)
adminRoutes.route('/executions', executionRoutes)
