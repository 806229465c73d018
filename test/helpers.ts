/**
 * Shared helpers for tests that drive the Worker through its real HTTP surface.
 * @module
 */
import { exports } from 'cloudflare:workers'

export const ADMIN_TOKEN = 'test-admin-token'
export const BASE = 'https://gateway.test'

export function call(path: string, init: RequestInit = {}): Promise<Response> {
	// Redirects are not followed: tests assert the 303 itself.
	return exports.default.fetch(new Request(`${BASE}${path}`, { redirect: 'manual', ...init }))
}

export function admin(
	path: string,
	init: RequestInit & { json?: unknown } = {},
): Promise<Response> {
	const headers = new Headers(init.headers)
	headers.set('authorization', `Bearer ${ADMIN_TOKEN}`)
	let body = init.body
	if (init.json !== undefined) {
		headers.set('content-type', 'application/json')
		body = JSON.stringify(init.json)
	}
	return call(path, { ...init, headers, body })
}

export interface CreatedInstance {
	id: string
	webhookUrls: Record<string, string>
	endpoints: Array<{ id: string; flow: string; url: string }>
}

export async function createExamples(): Promise<{
	instance: CreatedInstance
	echo: string
	fail: string
	digest: string
}> {
	const res = await admin('/api/instances', { method: 'POST', json: { integration: 'examples' } })
	if (res.status !== 201) throw new Error(`create instance: ${res.status} ${await res.text()}`)
	const instance = (await res.json()) as CreatedInstance
	const id = (flow: string) => instance.endpoints.find((e) => e.flow === flow)?.id as string
	return { instance, echo: id('echo'), fail: id('fail'), digest: id('digest') }
}

export async function patchEndpoint(id: string, patch: unknown): Promise<Response> {
	return admin(`/api/endpoints/${id}`, { method: 'PATCH', json: patch })
}

export interface ExecutionJson {
	id: string
	status: string
	attempts: number
	error?: string
	resultUrl?: string
	steps: Array<{ name: string; output?: unknown; error?: string }>
	attemptErrors: Array<{ attempt: number; error: string }>
	sequence: number
	startedAt?: string
	finishedAt?: string
}

export async function getExecution(id: string): Promise<ExecutionJson> {
	const res = await admin(`/api/executions/${id}`)
	if (res.status !== 200) throw new Error(`get execution ${id}: ${res.status}`)
	return (await res.json()) as ExecutionJson
}

/** Polls an execution until it reaches one of `statuses` (the queue consumer runs asynchronously). */
export async function waitForStatus(
	id: string,
	statuses: string[] = ['succeeded', 'failed'],
	timeoutMs = 20_000,
): Promise<ExecutionJson> {
	const deadline = Date.now() + timeoutMs
	for (;;) {
		const exec = await getExecution(id)
		if (statuses.includes(exec.status)) return exec
		if (Date.now() > deadline) throw new Error(`execution ${id} stuck in ${exec.status}`)
		await new Promise((r) => setTimeout(r, 25))
	}
}

export function post(
	endpointId: string,
	body: BodyInit | null,
	headers: Record<string, string> = {},
	suffix = '',
) {
	return call(`/trigger/${endpointId}${suffix}`, { method: 'POST', body, headers })
}

export function postJson(endpointId: string, value: unknown, headers: Record<string, string> = {}) {
	return post(endpointId, JSON.stringify(value), { 'content-type': 'application/json', ...headers })
}
