/**
 * `npx triggerflare …`: the reference sender and a small operator tool.
 *
 *   send <url>            post a file or JSON, signed with any scheme the gateway verifies
 *   executions            list (or follow) an endpoint's executions
 *   replay <executionId>  run an archived request again
 *
 * Signing uses the gateway's own code (src/auth), so what the CLI sends is exactly what
 * the gateway accepts.
 * @module
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import {
	type AuthConfig,
	authConfigSchema,
	importPrivateKey,
	PUBLIC_KEY_PRESETS,
	type PublicKeyPreset,
	publicKeyOf,
	senderUrl,
	signRequest,
} from '../src/auth'

const HELP = `triggerflare: send signed test webhooks and inspect executions

Usage:
  triggerflare send <trigger-url> [--json '{...}' | --file path] [--content-type type]
                    [--auth '<auth config JSON>' | --preset name --secret s | --api-key k]
                    [--private-key key.pem] [--header 'name: value']... [--sync]
  triggerflare executions --endpoint <id> [--status s] [--limit n] [--follow]
  triggerflare replay <executionId>

Options for executions and replay:
  --url    gateway base URL   (env TRIGGERFLARE_URL, default http://localhost:8787)
  --token  admin token        (env TRIGGERFLARE_ADMIN_TOKEN, default dev-admin-token)

--auth takes the same JSON as the admin API's "auth" field, e.g.
  '{"type":"hmac","preset":"github","secrets":["s3cret"]}'
Asymmetric presets (discord, sendgrid) sign with the provider's private key instead of a
secret: --preset discord --private-key key.pem (PKCS#8 PEM); the public key to configure
on the endpoint is printed.
`

const args = parseArgs({
	allowPositionals: true,
	options: {
		json: { type: 'string' },
		file: { type: 'string' },
		'content-type': { type: 'string' },
		auth: { type: 'string' },
		preset: { type: 'string' },
		secret: { type: 'string' },
		'api-key': { type: 'string' },
		'private-key': { type: 'string' },
		header: { type: 'string', multiple: true },
		sync: { type: 'boolean' },
		endpoint: { type: 'string' },
		status: { type: 'string' },
		limit: { type: 'string' },
		follow: { type: 'boolean' },
		url: { type: 'string' },
		token: { type: 'string' },
		help: { type: 'boolean', short: 'h' },
	},
})

const [command, target] = args.positionals
const opts = args.values
const base = (opts.url ?? process.env.TRIGGERFLARE_URL ?? 'http://localhost:8787').replace(
	/\/+$/,
	'',
)
const token = opts.token ?? process.env.TRIGGERFLARE_ADMIN_TOKEN ?? 'dev-admin-token'

function fail(message: string): never {
	process.stderr.write(`triggerflare: ${message}\n`)
	process.exit(2)
}

const isPublicKeyPreset = (name: string): name is PublicKeyPreset =>
	(PUBLIC_KEY_PRESETS as readonly string[]).includes(name)

// SNS messages carry Amazon's signature and certificate URL: no private key we hold works.
const AMAZON_ONLY = 'aws-sns messages are signed by Amazon; the CLI cannot send them'

async function authFromOptions(privateKeyPem: string | undefined): Promise<AuthConfig> {
	let raw: unknown = { type: 'none' }
	if (opts.auth) {
		try {
			raw = JSON.parse(opts.auth)
		} catch {
			fail('--auth must be JSON')
		}
	} else if (opts.preset && isPublicKeyPreset(opts.preset)) {
		if (opts.preset === 'aws-sns') fail(AMAZON_ONLY)
		if (!privateKeyPem) fail(`--preset ${opts.preset} needs --private-key (PKCS#8 PEM)`)
		const key = await publicKeyOf(opts.preset, privateKeyPem).catch((e: Error) => fail(e.message))
		process.stdout.write(`public key ${key}\n`)
		raw = { type: 'publicKey', preset: opts.preset, keys: [key] }
	} else if (opts.preset) {
		if (!opts.secret) fail('--preset needs --secret')
		raw = { type: 'hmac', preset: opts.preset, secrets: [opts.secret] }
	} else if (opts['api-key']) {
		raw = { type: 'apiKey', keys: [opts['api-key']] }
	}
	const parsed = authConfigSchema.safeParse(raw)
	if (!parsed.success) fail(`invalid auth: ${parsed.error.issues[0]?.message ?? 'unknown'}`)
	return parsed.data
}

async function send(url: string): Promise<void> {
	let body: Uint8Array
	let contentType = opts['content-type']
	if (opts.file) {
		body = new Uint8Array(await readFile(opts.file))
		contentType ??= opts.file.endsWith('.json')
			? 'application/json'
			: opts.file.endsWith('.xml')
				? 'application/xml'
				: 'application/octet-stream'
	} else {
		body = new TextEncoder().encode(opts.json ?? '{}')
		contentType ??= 'application/json'
	}
	const headers: Record<string, string> = { 'content-type': contentType }
	for (const h of opts.header ?? []) {
		const i = h.indexOf(':')
		if (i < 1) fail(`--header must be "name: value", got ${h}`)
		headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim()
	}
	if (opts.sync) headers['triggerflare-synchronous'] = 'true'
	const privateKeyPem = opts['private-key']
		? await readFile(opts['private-key'], 'utf8')
		: undefined
	const auth = await authFromOptions(privateKeyPem)
	let privateKey: CryptoKey | undefined
	if (auth.type === 'publicKey') {
		if (auth.preset === 'aws-sns') fail(AMAZON_ONLY)
		if (!privateKeyPem) fail(`${auth.preset} signs with the private key: add --private-key`)
		privateKey = await importPrivateKey(auth.preset, privateKeyPem).catch((e: Error) =>
			fail(`--private-key: ${e.message}`),
		)
	}
	// Twilio binds a JSON (or any non-form) body by a bodySHA256 query parameter.
	const target = await senderUrl(auth, { url, headers, body })
	const signed = await signRequest(
		auth,
		{ method: 'POST', url: target, headers, body, now: Date.now() },
		{ privateKey },
	)
	const res = await fetch(target, {
		method: 'POST',
		headers: { ...headers, ...signed },
		body: new Blob([body as Uint8Array<ArrayBuffer>]),
		redirect: 'manual',
	})
	const executionId = res.headers.get('triggerflare-execution-id')
	process.stdout.write(`status ${res.status}\n`)
	if (executionId) process.stdout.write(`executionId ${executionId}\n`)
	const location = res.headers.get('location')
	if (res.status === 303 && location) {
		const result = await fetch(location)
		process.stdout.write(
			`result ${result.status} ${result.headers.get('content-type') ?? ''}\n${await result.text()}\n`,
		)
	} else {
		const text = await res.text()
		if (text) process.stdout.write(`${text}\n`)
	}
	if (res.status >= 400 && res.status !== 400) process.exitCode = 1
}

async function api(path: string, init: RequestInit = {}): Promise<unknown> {
	const res = await fetch(`${base}/api${path}`, {
		...init,
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
	})
	const body = (await res.json()) as unknown
	if (!res.ok) fail(`${res.status} ${JSON.stringify(body)}`)
	return body
}

interface Row {
	id: string
	status: string
	attempts: number
	receivedAt: string
	flow: string
	error?: string
}

function line(e: Row): string {
	return `${e.receivedAt}  ${e.id}  ${e.flow}  ${e.status.padEnd(9)} attempts=${e.attempts}${e.error ? `  error=${JSON.stringify(e.error)}` : ''}`
}

async function executions(): Promise<void> {
	if (!opts.endpoint) fail('executions needs --endpoint <id>')
	const query = new URLSearchParams({ endpoint: opts.endpoint, limit: opts.limit ?? '20' })
	if (opts.status) query.set('status', opts.status)
	const seen = new Map<string, string>()
	for (;;) {
		const page = (await api(`/executions?${query}`)) as { executions: Row[] }
		for (const e of [...page.executions].reverse()) {
			if (seen.get(e.id) === e.status) continue
			seen.set(e.id, e.status)
			process.stdout.write(`${line(e)}\n`)
		}
		if (!opts.follow) return
		await new Promise((r) => setTimeout(r, 2000))
	}
}

async function replay(executionId: string): Promise<void> {
	const out = (await api(`/executions/${executionId}/replay`, { method: 'POST' })) as {
		executionId: string
	}
	process.stdout.write(`executionId ${out.executionId}\n`)
}

if (opts.help || !command) {
	process.stdout.write(HELP)
} else if (command === 'send') {
	if (!target) fail('send needs a trigger URL')
	await send(target)
} else if (command === 'executions') {
	await executions()
} else if (command === 'replay') {
	if (!target) fail('replay needs an execution id')
	await replay(target)
} else {
	fail(`unknown command ${command}\n\n${HELP}`)
}
