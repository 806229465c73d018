/**
 * The CLI against a real `wrangler dev`: a signed send (sync, following the 303), a
 * forged one, listing executions and replaying one.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, startDevServer } from './dev-server'

const run = promisify(execFile)
let server: DevServer
let echo: string
let digest: string

async function cli(...args: string[]): Promise<{ stdout: string; code: number }> {
	try {
		const { stdout } = await run('node', ['bin/triggerflare.mjs', ...args], {
			env: {
				...process.env,
				TRIGGERFLARE_URL: server.url,
				TRIGGERFLARE_ADMIN_TOKEN: server.adminToken,
			},
		})
		return { stdout, code: 0 }
	} catch (err) {
		const e = err as { stdout: string; code: number }
		return { stdout: e.stdout, code: e.code }
	}
}

beforeAll(async () => {
	server = await startDevServer('cli-test-token')
	const headers = {
		authorization: `Bearer ${server.adminToken}`,
		'content-type': 'application/json',
	}
	const created = await fetch(`${server.url}/api/instances`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ integration: 'examples' }),
	})
	const instance = (await created.json()) as { endpoints: Array<{ id: string; flow: string }> }
	echo = instance.endpoints.find((e) => e.flow === 'echo')?.id as string
	digest = instance.endpoints.find((e) => e.flow === 'digest')?.id as string
	await fetch(`${server.url}/api/endpoints/${echo}`, {
		method: 'PATCH',
		headers,
		body: JSON.stringify({ auth: { type: 'hmac', preset: 'github', secrets: ['cli-secret'] } }),
	})
	await fetch(`${server.url}/api/endpoints/${digest}`, {
		method: 'PATCH',
		headers,
		body: JSON.stringify({ auth: { type: 'hmac', preset: 'twilio', secrets: ['twilio-token'] } }),
	})
})

afterAll(async () => {
	await server?.stop()
})

describe('npx triggerflare', () => {
	it('sends a github-signed webhook synchronously and prints the result', async () => {
		const out = await cli(
			'send',
			`${server.url}/trigger/${echo}`,
			'--json',
			'{"hello":"cli"}',
			'--preset',
			'github',
			'--secret',
			'cli-secret',
			'--sync',
		)
		expect(out.stdout).toMatch(/^status 303$/m)
		expect(out.stdout).toMatch(new RegExp(`^executionId ${echo}-1$`, 'm'))
		expect(out.stdout).toMatch(/^result 200 application\/json/m)
		expect(out.stdout).toContain('"hello":"cli"')
	})

	it('a wrong secret is refused', async () => {
		const out = await cli(
			'send',
			`${server.url}/trigger/${echo}`,
			'--json',
			'{}',
			'--preset',
			'github',
			'--secret',
			'wrong',
		)
		expect(out.stdout).toMatch(/^status 401$/m)
		expect(out.code).toBe(1)
	})

	it('signs a Twilio JSON body (bound by bodySHA256) and a Twilio form the gateway accepts', async () => {
		const json = await cli(
			'send',
			`${server.url}/trigger/${digest}`,
			'--json',
			'{"CallSid":"CA1"}',
			'--preset',
			'twilio',
			'--secret',
			'twilio-token',
		)
		expect(json.stdout).toMatch(/^status 200$/m)
		const form = await cli(
			'send',
			`${server.url}/trigger/${digest}?via=form`,
			'--json',
			'CallSid=CA2&From=%2B15551234567',
			'--content-type',
			'application/x-www-form-urlencoded',
			'--preset',
			'twilio',
			'--secret',
			'twilio-token',
		)
		expect(form.stdout).toMatch(/^status 200$/m)
	})

	it('lists executions and replays one', async () => {
		const list = await cli('executions', '--endpoint', echo)
		expect(list.stdout).toContain(`${echo}-1  echo  succeeded`)
		const replay = await cli('replay', `${echo}-1`)
		expect(replay.stdout).toMatch(new RegExp(`^executionId ${echo}-2$`, 'm'))
	})
})
