/**
 * The console's reads and writes of integrations, made through the admin API itself
 * (see gateway.ts): the page shows what `GET /api/integrations/{name}` returns (secrets
 * redacted) and saves with exactly the limits and validation `PUT` applies.
 * @module
 */
import type { Context } from 'hono'
import { GatewayError } from '../lib/errors'
import { registryStub } from '../registry/registry-do'
import { restoreRedacted } from './definition-text'
import { callAdmin, integrationUrl } from './gateway'
import type { ConsoleEnv } from './middleware'

/** `GET /api/integrations/{name}`'s body: `source` is `code` or `api` (data). */
export type IntegrationView = Record<string, unknown> & {
	name: string
	source: 'code' | 'api'
	version?: number
	description?: string
	flows: unknown
}

export type SaveOutcome =
	| { ok: true; version: number; created: boolean }
	| { ok: false; status: number; error: string }

const origin = (c: Context<ConsoleEnv>) => new URL(c.req.url).origin

function unexpected(status: number): GatewayError {
	return new GatewayError(503, 'unavailable', 'Integrations could not be read; please retry.', {
		internalMessage: `console: admin integration route answered ${status}`,
	})
}

export async function readIntegration(
	c: Context<ConsoleEnv>,
	name: string,
): Promise<IntegrationView | null> {
	const res = await callAdmin(c.env, c.executionCtx, integrationUrl(origin(c), name))
	if (res.status === 404 || res.status === 400) return null
	if (res.status !== 200) throw unexpected(res.status)
	return (await res.json()) as IntegrationView
}

/**
 * Creates or replaces a data integration from the form's JSON text. Refusals (invalid
 * definition 400, a code integration's name 409) come back as the API words them.
 */
export async function saveIntegration(
	c: Context<ConsoleEnv>,
	name: string,
	text: string,
): Promise<SaveOutcome> {
	const stored = await registryStub(c.env).getIntegration(name)
	const res = await callAdmin(c.env, c.executionCtx, integrationUrl(origin(c), name), {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: restoreRedacted(text, stored?.definition ?? null),
	})
	if (res.status === 200 || res.status === 201) {
		const saved = (await res.json()) as { version: number }
		return { ok: true, version: saved.version, created: res.status === 201 }
	}
	if (res.status >= 500) throw unexpected(res.status)
	const body = (await res.json().catch(() => ({}))) as { error?: unknown }
	return {
		ok: false,
		status: res.status,
		error: typeof body.error === 'string' ? body.error : `Refused (${res.status}).`,
	}
}
