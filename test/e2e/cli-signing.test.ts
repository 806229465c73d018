/**
 * The CLI signs every preset under Node (no wrangler dev needed): `node bin/triggerflare.mjs
 * send` posts to a local capture server, and each captured request is verified twice:
 * by the gateway's own authenticator (src/auth, run here in Node) and by the provider's
 * SDK or an independent node:crypto computation of the provider's documented scheme.
 */
import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authConfigSchema, createAuthenticator } from '../../src/auth'

const run = promisify(execFile)
const ENDPOINT = 'abcdefghijklmnopqrstuvwxyz'

interface Captured {
	method: string
	url: string
	headers: IncomingHttpHeaders
	body: Buffer
}

let server: Server
let origin: string
let captured: Captured[] = []

beforeAll(async () => {
	server = createServer((req, res) => {
		const chunks: Buffer[] = []
		req.on('data', (chunk: Buffer) => chunks.push(chunk))
		req.on('end', () => {
			captured.push({
				method: req.method ?? '',
				url: `${origin}${req.url ?? ''}`,
				headers: req.headers,
				body: Buffer.concat(chunks),
			})
			res.writeHead(200, {
				'content-type': 'application/json',
				'triggerflare-execution-id': `${ENDPOINT}-1`,
			})
			res.end(JSON.stringify({ executionId: `${ENDPOINT}-1` }))
		})
	})
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve))
})

/** Runs the CLI's `send` with the Node running this test; returns its output and the request it made. */
async function send(
	args: string[],
	path = `/trigger/${ENDPOINT}/hooks?source=cli`,
): Promise<{ stdout: string; request: Captured }> {
	captured = []
	const { stdout } = await run(process.execPath, [
		'bin/triggerflare.mjs',
		'send',
		origin + path,
		...args,
	])
	expect(captured).toHaveLength(1)
	return { stdout, request: captured[0] as Captured }
}

function headersOf(request: Captured): Headers {
	const headers = new Headers()
	for (const [name, value] of Object.entries(request.headers)) {
		if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
	}
	return headers
}

/** The gateway's own verdict, exactly as the trigger route asks it. */
async function gatewayAccepts(auth: unknown, request: Captured, body = request.body) {
	const authenticator = createAuthenticator(authConfigSchema.parse(auth))
	const result = await authenticator.verify({
		method: request.method,
		url: request.url,
		headers: headersOf(request),
		rawBody: new Uint8Array(body),
		now: Date.now(),
	})
	return result.ok
}

const hmac = (secret: string | Buffer, message: string | Buffer) =>
	createHmac('sha256', secret).update(message)

const JSON_BODY = '{"id":"evt_1","object":"event","hello":"world"}'

interface Case {
	preset: string
	secret: string
	contentType?: string
	body?: string
	/** The provider's SDK, or the documented scheme computed independently. */
	independent(request: Captured, header: (name: string) => string): boolean | Promise<boolean>
}

const CASES: Case[] = [
	{
		preset: 'github',
		secret: 'gh-secret',
		independent: (r, h) => octokitVerify('gh-secret', r.body.toString(), h('x-hub-signature-256')),
	},
	{
		preset: 'stripe',
		secret: 'whsec_stripe',
		independent: async (r, h) => {
			const event = await new Stripe('sk_test_not_used_offline').webhooks.constructEventAsync(
				r.body.toString(),
				h('stripe-signature'),
				'whsec_stripe',
			)
			return event.id === 'evt_1'
		},
	},
	{
		preset: 'slack',
		secret: 'slack-secret',
		independent: (r, h) =>
			h('x-slack-signature') ===
			`v0=${hmac('slack-secret', `v0:${h('x-slack-request-timestamp')}:${r.body}`).digest('hex')}`,
	},
	{
		preset: 'shopify',
		secret: 'shopify-secret',
		independent: (r, h) =>
			h('x-shopify-hmac-sha256') === hmac('shopify-secret', r.body).digest('base64'),
	},
	{
		preset: 'standard-webhooks',
		secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
		independent: (r) => {
			new StandardWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(
				r.body.toString(),
				r.headers as Record<string, string>,
			)
			return true
		},
	},
	{
		preset: 'svix',
		secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
		independent: (r) => {
			new SvixWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(
				r.body.toString(),
				r.headers as Record<string, string>,
			)
			return true
		},
	},
	{
		preset: 'twilio',
		secret: 'twilio-token',
		// A JSON body: bound by bodySHA256 in the URL, as Twilio sends it.
		independent: (r, h) => {
			expect(new URL(r.url).searchParams.get('bodySHA256')).toBe(
				twilio.getExpectedBodyHash(r.body.toString()),
			)
			return twilio.validateRequestWithBody(
				'twilio-token',
				h('x-twilio-signature'),
				r.url,
				r.body.toString(),
			)
		},
	},
	{
		preset: 'twilio',
		secret: 'twilio-token',
		contentType: 'application/x-www-form-urlencoded',
		body: 'To=%2B15551234567&From=%2B15557654321&Body=hello+world',
		// A form body: its parameters are signed, the URL stays as it was.
		independent: (r, h) => {
			expect(new URL(r.url).searchParams.has('bodySHA256')).toBe(false)
			const params = Object.fromEntries(new URLSearchParams(r.body.toString()))
			return twilio.validateRequest('twilio-token', h('x-twilio-signature'), r.url, params)
		},
	},
	{
		preset: 'zoom',
		secret: 'zoom-secret',
		independent: (r, h) =>
			h('x-zm-signature') ===
			`v0=${hmac('zoom-secret', `v0:${h('x-zm-request-timestamp')}:${r.body}`).digest('hex')}`,
	},
	{
		preset: 'square',
		secret: 'square-key',
		independent: (r, h) =>
			h('x-square-hmacsha256-signature') ===
			hmac('square-key', `${r.url}${r.body}`).digest('base64'),
	},
	{
		preset: 'hubspot',
		secret: 'hubspot-secret',
		independent: (r, h) =>
			h('x-hubspot-signature-v3') ===
			hmac(
				'hubspot-secret',
				`${r.method}${r.url}${r.body}${h('x-hubspot-request-timestamp')}`,
			).digest('base64'),
	},
	{
		preset: 'paddle',
		secret: 'pdl_ntfset_01h_paddle',
		independent: (r, h) => {
			const match = /^ts=(\d+);h1=([0-9a-f]{64})$/.exec(h('paddle-signature'))
			return (
				match !== null &&
				match[2] === hmac('pdl_ntfset_01h_paddle', `${match[1]}:${r.body}`).digest('hex')
			)
		},
	},
]

describe('the CLI signs every preset under Node', () => {
	for (const c of CASES) {
		const label = `${c.preset}${c.contentType ? ` (${c.contentType})` : ''}`
		it(label, async () => {
			const body = c.body ?? JSON_BODY
			const args = ['--json', body, '--preset', c.preset, '--secret', c.secret]
			if (c.contentType) args.push('--content-type', c.contentType)
			const { stdout, request } = await send(args)
			expect(stdout).toMatch(/^status 200$/m)
			expect(request.method).toBe('POST')
			expect(request.body.toString()).toBe(body)
			expect(new URL(request.url).searchParams.get('source')).toBe('cli')

			const auth = { type: 'hmac', preset: c.preset, secrets: [c.secret] }
			expect(await gatewayAccepts(auth, request)).toBe(true)
			// A changed body no longer verifies: the signature covers it.
			expect(await gatewayAccepts(auth, request, Buffer.from(`${body} `))).toBe(false)
			// Nor does another secret.
			const other = c.secret.startsWith('whsec_')
				? 'whsec_dGhlIG90aGVyIHNlY3JldCwgYmFzZTY0'
				: `${c.secret}-other`
			expect(await gatewayAccepts({ ...auth, secrets: [other] }, request)).toBe(false)

			const header = (name: string) => {
				const value = request.headers[name]
				expect(value, name).toBeTypeOf('string')
				return value as string
			}
			expect(await c.independent(request, header)).toBe(true)
		})
	}

	it('basic, apiKey and generic hmac too', async () => {
		for (const auth of [
			{ type: 'basic', username: 'hooks', password: 'pw' },
			{ type: 'apiKey', header: 'x-api-key', keys: ['k1'] },
			{
				type: 'hmac',
				algorithm: 'sha512',
				header: 'x-signature',
				encoding: 'base64',
				prefix: 'sha512=',
				secrets: ['generic'],
			},
		]) {
			const { request } = await send(['--json', JSON_BODY, '--auth', JSON.stringify(auth)])
			expect(await gatewayAccepts(auth, request), auth.type).toBe(true)
		}
	})

	it('a URL that already carries bodySHA256 is sent as given (Twilio)', async () => {
		const hash = twilio.getExpectedBodyHash(JSON_BODY)
		const path = `/trigger/${ENDPOINT}?bodySHA256=${hash}`
		const { request } = await send(
			['--json', JSON_BODY, '--preset', 'twilio', '--secret', 'twilio-token'],
			path,
		)
		expect(request.url).toBe(origin + path)
		expect(
			await gatewayAccepts({ type: 'hmac', preset: 'twilio', secrets: ['twilio-token'] }, request),
		).toBe(true)
	})
})
