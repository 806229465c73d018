/**
 * The slice of Progix's REST API the integration needs: its webhook subscriptions.
 * Progix is a fictional SaaS; this module is its documentation:
 *
 * - `GET /webhooks` → `{ "webhooks": [{ "id", "url", "events" }] }`
 * - `POST /webhooks` `{ "url", "events" }` → `201 { "id", "url", "events" }`
 * - `DELETE /webhooks/{id}` → `204` (`404` once it is gone)
 *
 * Every call carries `Authorization: Bearer <API key>`.
 * @module
 */
import type { FlowFetch } from '../define'

export const NEW_ACCOUNTS_EVENT = 'accounts.created'

export interface ProgixWebhook {
	id: string
	url: string
	events: string[]
}

export interface ProgixClient {
	listWebhooks(): Promise<ProgixWebhook[]>
	createWebhook(url: string, events: string[]): Promise<ProgixWebhook>
	deleteWebhook(id: string): Promise<void>
}

export function progixClient(fetch: FlowFetch, apiUrl: string, apiKey: string): ProgixClient {
	const base = apiUrl.replace(/\/+$/, '')
	const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
		const headers: Record<string, string> = {
			authorization: `Bearer ${apiKey}`,
			accept: 'application/json',
		}
		if (body !== undefined) headers['content-type'] = 'application/json'
		return fetch(`${base}${path}`, {
			method,
			headers,
			...(body === undefined ? {} : { body: JSON.stringify(body) }),
		})
	}
	const fail = async (res: Response, what: string): Promise<never> => {
		// Progix's error text helps whoever reads the lifecycle record; keep it short.
		const detail = (await res.text()).slice(0, 200)
		throw new Error(`Progix ${what} answered ${res.status}${detail ? `: ${detail}` : ''}`)
	}

	return {
		async listWebhooks() {
			const res = await call('GET', '/webhooks')
			if (!res.ok) return fail(res, 'GET /webhooks')
			const body = (await res.json()) as { webhooks?: ProgixWebhook[] }
			return Array.isArray(body.webhooks) ? body.webhooks : []
		},
		async createWebhook(url, events) {
			const res = await call('POST', '/webhooks', { url, events })
			if (!res.ok) return fail(res, 'POST /webhooks')
			return (await res.json()) as ProgixWebhook
		},
		async deleteWebhook(id) {
			const res = await call('DELETE', `/webhooks/${encodeURIComponent(id)}`)
			// Already gone is what removal wants; a retried hook must not fail on it.
			if (res.status === 404) {
				await res.body?.cancel()
				return
			}
			if (!res.ok) return fail(res, 'DELETE /webhooks')
		},
	}
}
