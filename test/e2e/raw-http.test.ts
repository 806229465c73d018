/**
 * Malformed HTTP framing over a real socket, straight to workerd (no `wrangler dev` in
 * front: its ProxyWorker answers 500 itself when a request body breaks, before our Worker
 * has a say). A body cut short or a broken chunked encoding gets the Worker's 400 and
 * records nothing, so the sender's retry is the only delivery.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Runtime, startRuntime, stateLocation } from '../../bench/lib/runtime.mjs'

let rt: Runtime
let endpoint: string
let admin: Record<string, string>

beforeAll(async () => {
	rt = await startRuntime({ stateDir: stateLocation(false).dir })
	admin = { authorization: `Bearer ${rt.adminToken}`, 'content-type': 'application/json' }
	const res = await fetch(`${rt.gatewayUrl}/api/instances`, {
		method: 'POST',
		headers: admin,
		body: JSON.stringify({ integration: 'examples' }),
	})
	const instance = (await res.json()) as { endpoints: Array<{ id: string; flow: string }> }
	const echo = instance.endpoints.find((e) => e.flow === 'echo')
	if (!echo) throw new Error('no echo endpoint')
	endpoint = echo.id
}, 120_000)

afterAll(async () => {
	await rt?.close()
})

/** Writes `head` as is, half-closes the socket, and returns the raw answer. */
function rawRequest(head: string): Promise<{ status: number; body: string }> {
	const url = new URL(rt.gatewayUrl)
	return new Promise((resolve, reject) => {
		const socket = connect(Number(url.port), url.hostname)
		let received = ''
		socket.setEncoding('latin1')
		socket.on('data', (chunk: string) => {
			received += chunk
		})
		socket.on('error', reject)
		socket.on('close', () => {
			const [statusLine = '', ...rest] = received.split('\r\n')
			const body = rest.join('\r\n').split('\r\n\r\n').slice(1).join('\r\n\r\n')
			resolve({ status: Number(statusLine.split(' ')[1]), body })
		})
		socket.on('connect', () => {
			socket.end(head)
		})
		setTimeout(() => socket.destroy(), 10_000)
	})
}

async function recorded(): Promise<number> {
	const res = await fetch(`${rt.gatewayUrl}/api/executions?endpoint=${endpoint}`, {
		headers: admin,
	})
	const list = (await res.json()) as { executions: unknown[] }
	return list.executions.length
}

describe('malformed framing over a real socket', () => {
	it('answers 400 to a body shorter than its Content-Length, and records nothing', async () => {
		const host = new URL(rt.gatewayUrl).host
		const answer = await rawRequest(
			`POST /trigger/${endpoint} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":1`,
		)
		expect(answer.status).toBe(400)
		expect(JSON.parse(answer.body)).toEqual({
			error:
				'Request body could not be read: the connection closed before Content-Length bytes arrived.',
		})
		expect(await recorded()).toBe(0)
	})

	it('answers 400 to a chunked body cut short or with a broken chunk size', async () => {
		const host = new URL(rt.gatewayUrl).host
		const error =
			'Request body could not be read: the connection closed before the body was complete.'
		const cut = await rawRequest(
			`POST /trigger/${endpoint} HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`,
		)
		expect([cut.status, JSON.parse(cut.body)]).toEqual([400, { error }])
		const broken = await rawRequest(
			`POST /trigger/${endpoint} HTTP/1.1\r\nHost: ${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`,
		)
		expect([broken.status, JSON.parse(broken.body)]).toEqual([400, { error }])
		expect(await recorded()).toBe(0)
	})

	it('still accepts a well-formed request on the same server afterwards', async () => {
		const res = await fetch(`${rt.gatewayUrl}/trigger/${endpoint}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"a":1}',
		})
		expect(res.status).toBe(200)
		expect(await recorded()).toBe(1)
	})
})
