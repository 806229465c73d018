/**
 * The CLI signs every preset under Node (no wrangler dev needed): `node bin/triggerflare.mjs
 * send` posts to a local capture server, and each captured request is verified twice:
 * by the gateway's own authenticator (src/auth, run here in Node) and by the provider's
 * SDK or an independent node:crypto computation of the provider's documented scheme.
 */
import { execFile } from 'node:child_process'
import {
	createHmac,
	createPublicKey,
	generateKeyPairSync,
	verify as verifySignature,
} from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { verify as octokitVerify } from '@octokit/webhooks-methods'
import { Webhook as StandardWebhook } from 'standardwebhooks'
import Stripe from 'stripe'
import { Webhook as SvixWebhook } from 'svix'
import twilio from 'twilio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
	authConfigSchema,
	createAuthenticator,
	HMAC_PRESETS,
	PUBLIC_KEY_PRESETS,
} from '../../src/auth'

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
const hmac1 = (secret: string, message: string | Buffer) =>
	createHmac('sha1', secret).update(message)

/** `t=<ts>,v1=<hex>` (Mux, Calendly) checked against `hex(HMAC-SHA256(t + "." + body))`. */
function tV1(secret: string, value: string, body: Buffer): boolean {
	const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(value)
	return match !== null && match[2] === hmac(secret, `${match[1]}.${body}`).digest('hex')
}

/** The headers a Svix library verifies, from a captured request. */
const svixHeaders = (r: Captured) => r.headers as Record<string, string>

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
		preset: 'mux',
		secret: 'mux-secret',
		independent: (r, h) => tV1('mux-secret', h('mux-signature'), r.body),
	},
	{
		preset: 'calendly',
		secret: 'calendly-key',
		independent: (r, h) => tV1('calendly-key', h('calendly-webhook-signature'), r.body),
	},
	{
		preset: 'line',
		secret: 'line-channel-secret',
		independent: (r, h) =>
			h('x-line-signature') === hmac('line-channel-secret', r.body).digest('base64'),
	},
	...(
		[
			['razorpay', 'x-razorpay-signature', ''],
			['coinbase-commerce', 'x-cc-webhook-signature', ''],
			['asana', 'x-hook-signature', ''],
			['dropbox', 'x-dropbox-signature', ''],
			['lemon-squeezy', 'x-signature', ''],
			['notion', 'x-notion-signature', 'sha256='],
			['bitbucket', 'x-hub-signature', 'sha256='],
		] as const
	).map(
		([preset, name, prefix]): Case => ({
			preset,
			secret: `${preset}-secret`,
			independent: (r, h) => h(name) === prefix + hmac(`${preset}-secret`, r.body).digest('hex'),
		}),
	),
	...(
		[
			['woocommerce', 'x-wc-webhook-signature', ''],
			['typeform', 'typeform-signature', 'sha256='],
		] as const
	).map(
		([preset, name, prefix]): Case => ({
			preset,
			secret: `${preset}-secret`,
			independent: (r, h) => h(name) === prefix + hmac(`${preset}-secret`, r.body).digest('base64'),
		}),
	),
	{
		preset: 'sentry',
		secret: 'sentry-secret',
		independent: (r, h) =>
			h('sentry-hook-signature') === hmac('sentry-secret', r.body).digest('hex'),
	},
	{
		preset: 'docusign',
		secret: 'docusign-secret',
		independent: (r, h) =>
			h('x-docusign-signature-1') === hmac('docusign-secret', r.body).digest('base64'),
	},
	{
		preset: 'trello',
		secret: 'trello-secret',
		// The callback URL is the one the request went to.
		independent: (r, h) =>
			h('x-trello-webhook') ===
			createHmac('sha1', 'trello-secret').update(`${r.body}${r.url}`).digest('base64'),
	},
	{
		preset: 'vercel',
		secret: 'vercel-secret',
		independent: (r, h) => h('x-vercel-signature') === hmac1('vercel-secret', r.body).digest('hex'),
	},
	{
		preset: 'intercom',
		secret: 'intercom-secret',
		independent: (r, h) =>
			h('x-hub-signature') === `sha1=${hmac1('intercom-secret', r.body).digest('hex')}`,
	},
	{
		preset: 'pagerduty',
		secret: 'pagerduty-secret',
		independent: (r, h) =>
			h('x-pagerduty-signature') === `v1=${hmac('pagerduty-secret', r.body).digest('hex')}`,
	},
	{
		preset: 'box',
		secret: 'box-primary-key',
		independent: (r, h) =>
			h('box-signature-version') === '1' &&
			h('box-signature-primary') ===
				hmac(
					'box-primary-key',
					Buffer.concat([r.body, Buffer.from(h('box-delivery-timestamp'))]),
				).digest('base64'),
	},
	{
		preset: 'twitch',
		secret: 'twitch-secret',
		independent: (r, h) =>
			h('twitch-eventsub-message-signature') ===
			`sha256=${hmac(
				'twitch-secret',
				`${h('twitch-eventsub-message-id')}${h('twitch-eventsub-message-timestamp')}${r.body}`,
			).digest('hex')}`,
	},
	{
		preset: 'webflow',
		secret: 'webflow-secret',
		independent: (r, h) =>
			h('x-webflow-signature') ===
			hmac('webflow-secret', `${h('x-webflow-timestamp')}:${r.body}`).digest('hex'),
	},
	{
		preset: 'zendesk',
		secret: 'zendesk-secret',
		independent: (r, h) =>
			h('x-zendesk-webhook-signature') ===
			hmac('zendesk-secret', `${h('x-zendesk-webhook-signature-timestamp')}${r.body}`).digest(
				'base64',
			),
	},
	{
		preset: 'linear',
		secret: 'linear-secret',
		independent: (r, h) =>
			h('linear-signature') === hmac('linear-secret', r.body).digest('hex') &&
			Math.abs(Number(h('linear-timestamp')) - Date.now()) < 60_000,
	},
	{
		preset: 'gitlab',
		secret: 'gitlab-token',
		independent: (_r, h) => h('x-gitlab-token') === 'gitlab-token',
	},
	...(['clerk', 'resend'] as const).map(
		(preset): Case => ({
			preset,
			secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
			independent: (r) => {
				new SvixWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').verify(
					r.body.toString(),
					svixHeaders(r),
				)
				return true
			},
		}),
	),
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
			// A changed body no longer verifies: the signature covers it (GitLab sends a bare token).
			if (c.preset !== 'gitlab') {
				expect(await gatewayAccepts(auth, request, Buffer.from(`${body} `))).toBe(false)
			}
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

	describe('asymmetric presets sign with --private-key (PKCS#8 PEM)', () => {
		let dir: string
		beforeAll(() => {
			dir = mkdtempSync(join(tmpdir(), 'triggerflare-keys-'))
		})
		afterAll(() => rmSync(dir, { recursive: true, force: true }))

		const pairs = {
			discord: () => generateKeyPairSync('ed25519'),
			sendgrid: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
		}
		/** The public key as the provider shows it: hex raw Ed25519, base64 SPKI for P-256. */
		const shown = (preset: 'discord' | 'sendgrid', der: Buffer) =>
			preset === 'discord' ? der.subarray(-32).toString('hex') : der.toString('base64')

		for (const preset of ['discord', 'sendgrid'] as const) {
			it(preset, async () => {
				const { privateKey, publicKey } = pairs[preset]()
				const file = join(dir, `${preset}.pem`)
				writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }))
				const key = shown(preset, publicKey.export({ type: 'spki', format: 'der' }))
				const { stdout, request } = await send([
					'--json',
					JSON_BODY,
					'--preset',
					preset,
					'--private-key',
					file,
				])
				expect(stdout).toMatch(/^status 200$/m)
				// The CLI prints the public key to configure on the endpoint.
				expect(stdout).toContain(`public key ${key}`)

				const auth = { type: 'publicKey', preset, keys: [key] }
				expect(await gatewayAccepts(auth, request)).toBe(true)
				expect(await gatewayAccepts(auth, request, Buffer.from(`${JSON_BODY} `))).toBe(false)
				const other = shown(
					preset,
					pairs[preset]().publicKey.export({ type: 'spki', format: 'der' }),
				)
				expect(await gatewayAccepts({ ...auth, keys: [other] }, request)).toBe(false)

				// node:crypto checks the provider's documented scheme independently.
				const headers = headersOf(request)
				const signedContent = Buffer.from(
					`${headers.get(preset === 'discord' ? 'x-signature-timestamp' : 'x-twilio-email-event-webhook-timestamp')}${JSON_BODY}`,
				)
				const signature =
					preset === 'discord'
						? Buffer.from(headers.get('x-signature-ed25519') ?? '', 'hex')
						: Buffer.from(headers.get('x-twilio-email-event-webhook-signature') ?? '', 'base64')
				const verifyKey = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }))
				expect(
					verifySignature(
						preset === 'discord' ? null : 'sha256',
						signedContent,
						verifyKey,
						signature,
					),
				).toBe(true)
			})
		}

		it('aws-sns is refused: only Amazon signs SNS messages', async () => {
			captured = []
			await expect(
				run(process.execPath, [
					'bin/triggerflare.mjs',
					'send',
					`${origin}/trigger/${ENDPOINT}`,
					'--preset',
					'aws-sns',
				]),
			).rejects.toThrow(/signed by Amazon/)
			expect(captured).toHaveLength(0)
		})

		it('without --private-key the CLI refuses to send', async () => {
			captured = []
			await expect(
				run(process.execPath, [
					'bin/triggerflare.mjs',
					'send',
					`${origin}/trigger/${ENDPOINT}`,
					'--preset',
					'discord',
				]),
			).rejects.toThrow(/needs --private-key/)
			expect(captured).toHaveLength(0)
		})
	})

	it('covers every preset the schema accepts', () => {
		// aws-sns: covered by the refusal above (Amazon's certificate URL cannot be ours).
		const covered = new Set([...CASES.map((c) => c.preset), 'discord', 'sendgrid', 'aws-sns'])
		for (const preset of [...HMAC_PRESETS, ...PUBLIC_KEY_PRESETS]) {
			expect(covered.has(preset), preset).toBe(true)
		}
	})

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
