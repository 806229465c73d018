/**
 * Stand-ins for third-party HTTP APIs. Flows and lifecycle hooks call the global `fetch`
 * from the queue consumer, which runs in the test's isolate, so a spy on it sees every
 * outbound request. A host without a handler fails the call: nothing reaches the network.
 * @module
 */
import { vi } from 'vitest'
import { admin } from '../helpers'

export interface SentRequest {
	method: string
	url: string
	headers: Record<string, string>
	body: string
}

export type HostHandler = (request: Request, url: URL) => Response | Promise<Response>

/** Installs the spy (undo with `vi.restoreAllMocks()`) and returns the requests it sees. */
export function mockHosts(hosts: Record<string, HostHandler>): SentRequest[] {
	const sent: SentRequest[] = []
	vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
		const request = new Request(input, init)
		const url = new URL(request.url)
		sent.push({
			method: request.method,
			url: request.url,
			headers: Object.fromEntries(request.headers),
			body: await request.clone().text(),
		})
		const handler = Object.hasOwn(hosts, url.host) ? hosts[url.host] : undefined
		if (!handler) throw new TypeError(`Network access to ${url.host} is not allowed in tests`)
		return handler(request, url)
	})
	return sent
}

export interface Lifecycle {
	lifecycle: Record<string, { status: string; attempts: number; error?: string }>
	state: Record<string, unknown>
}

/** Polls `GET /api/instances/:id/lifecycle` until `hook` reaches `status`. */
export async function waitForHook(
	instanceId: string,
	hook: 'deploy' | 'remove',
	status = 'succeeded',
	timeoutMs = 15_000,
): Promise<Lifecycle> {
	const deadline = Date.now() + timeoutMs
	for (;;) {
		const body = (await (await admin(`/api/instances/${instanceId}/lifecycle`)).json()) as Lifecycle
		if (body.lifecycle[hook]?.status === status) return body
		if (Date.now() > deadline) {
			throw new Error(`${hook} hook never ${status}: ${JSON.stringify(body.lifecycle)}`)
		}
		await new Promise((r) => setTimeout(r, 25))
	}
}

/** The endpoint id in a trigger URL (`…/trigger/<id>`). */
export function endpointIdOf(url: string): string {
	return new URL(url).pathname.split('/')[2] as string
}
