/**
 * Starts the gateway with `wrangler dev` on a free loopback port, with fresh local
 * state, for tests that need a real HTTP server (the browser tests, the CLI tests).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface DevServer {
	url: string
	adminToken: string
	stop(): Promise<void>
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer()
		server.listen(0, '127.0.0.1', () => {
			const address = server.address()
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port')),
			)
		})
	})
}

export async function startDevServer(adminToken = 'browser-test-token'): Promise<DevServer> {
	const port = await freePort()
	const state = mkdtempSync(join(tmpdir(), 'triggerflare-dev-'))
	const child: ChildProcess = spawn(
		'npx',
		[
			'wrangler',
			'dev',
			'--ip',
			'127.0.0.1',
			'--port',
			String(port),
			'--persist-to',
			state,
			'--var',
			`ADMIN_TOKEN:${adminToken}`,
			'--show-interactive-dev-session=false',
		],
		{
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
			// Its own process group: npx, wrangler and workerd are stopped together.
			detached: true,
		},
	)
	let output = ''
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`wrangler dev did not start:\n${output}`)),
			60_000,
		)
		const onData = (chunk: Buffer) => {
			output += chunk.toString()
			if (output.includes('Ready on')) {
				clearTimeout(timer)
				resolve()
			}
		}
		child.stdout?.on('data', onData)
		child.stderr?.on('data', onData)
		child.on('exit', (code) => reject(new Error(`wrangler dev exited (${code}):\n${output}`)))
	})
	return {
		url: `http://127.0.0.1:${port}`,
		adminToken,
		async stop() {
			// Signalling npx alone left wrangler and workerd running after the tests.
			const group = -(child.pid as number)
			const exited = new Promise((r) => child.once('exit', r))
			try {
				process.kill(group, 'SIGTERM')
			} catch {
				// Already gone.
			}
			await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))])
			try {
				process.kill(group, 'SIGKILL')
			} catch {
				// Exited on SIGTERM.
			}
			rmSync(state, { recursive: true, force: true })
		},
	}
}
