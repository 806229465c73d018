/**
 * The web console at `/console`: instances and endpoints (with a test webhook form),
 * executions, one execution's request/steps/logs/result, replay, and integrations (code
 * ones shown, data ones created and edited). Server-rendered with Hono's JSX; no front-end build.
 * This file only assembles it: the middleware in the order it must run, then the pages,
 * each in its own module under `pages/`. Order matters: sign-in is registered before
 * the session check, every other page after it.
 * @module
 */
import { Hono } from 'hono'
import { consoleRenderer } from './layout'
import {
	type ConsoleEnv,
	consoleBodyLimit,
	requireSession,
	sameOriginForms,
	securityHeaders,
} from './middleware'
import { endpointPages } from './pages/endpoint'
import { executionPages } from './pages/execution'
import { homePage } from './pages/home'
import { integrationPages } from './pages/integration'
import { integrationsPage } from './pages/integrations'
import { signInPages, signOut } from './pages/login'

export const consoleRoutes = new Hono<ConsoleEnv>()

consoleRoutes.use('*', consoleBodyLimit)
// Same-origin form posts only, on top of the session's CSRF token.
consoleRoutes.use('*', sameOriginForms)
consoleRoutes.use('*', securityHeaders)
consoleRoutes.use('*', consoleRenderer)

signInPages(consoleRoutes)

// Everything below needs a session; posts also need the session's CSRF token.
consoleRoutes.use('*', requireSession)

signOut(consoleRoutes)
homePage(consoleRoutes)
endpointPages(consoleRoutes)
executionPages(consoleRoutes)
integrationsPage(consoleRoutes)
integrationPages(consoleRoutes)
