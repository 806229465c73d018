/**
 * The Hono app: every HTTP route of the gateway, and the one error boundary.
 * @module
 */
import { Hono } from 'hono'
import { adminRoutes } from './admin/routes'
import { consoleRoutes } from './console/routes'
import type { Env } from './env'
import { errorResponse, GatewayError } from './lib/errors'
import { resultRoutes } from './results/route'
import { triggerRoutes } from './trigger/route'

export function createApp() {
	const app = new Hono<{ Bindings: Env }>()

	app.get('/', (c) =>
		c.json({
			name: 'triggerflare',
			triggers: '/trigger/{endpointId}',
			admin: '/api',
			docs: 'https://github.com/triggerflare/triggerflare#readme',
		}),
	)
	app.route('/trigger', triggerRoutes)
	app.route('/results', resultRoutes)
	app.route('/api', adminRoutes)
	app.route('/console', consoleRoutes)

	app.notFound(() => new GatewayError(404, 'not_found', 'Not found.').getResponse())
	app.onError(errorResponse)
	return app
}
