/**
 * Builds the gateway and the baseline exactly as `wrangler deploy` would, then runs both
 * in one Miniflare (one workerd process), each on its own direct socket.
 *
 * Why not `wrangler dev` or `unstable_startWorker`: both put wrangler's ProxyWorker in
 * front of the Worker, which stalls and answers 503 under load (workers-sdk#6517, #14641).
 * Miniflare is taken from wrangler's own dependency tree so the runtime matches the
 * wrangler the project pins, and its binding options come from wrangler.toml through
 * `unstable_getMiniflareWorkerOptions`, so the gateway runs with its real DO, Queue and
 * R2 bindings.
 * @module
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants, existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { unstable_getMiniflareWorkerOptions } from 'wrangler'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../..')
const WRANGLER_BIN = join(ROOT, 'node_modules/wrangler/bin/wrangler.js')
const fromWrangler = createRequire(import.meta.resolve('wrangler'))
const { Miniflare, Log, LogLevel, convertV4MiniflareOptions } = fromWrangler('miniflare')

/** Versions of what ran the Workers, for the results file. */
export function runtimeVersions() {
	const fromMiniflare = createRequire(fromWrangler.resolve('miniflare'))
	const version = (/** @type {NodeJS.Require} */ req, name) => {
		try {
			return req(`${name}/package.json`).version
		} catch {
			return null
		}
	}
	return {
		wrangler: version(createRequire(join(ROOT, 'package.json')), 'wrangler'),
		miniflare: version(fromWrangler, 'miniflare'),
		workerd: version(fromMiniflare, 'workerd'),
	}
}

/**
 * Keeps Miniflare's own warnings (a crashed and restarted runtime among them) for the
 * report instead of printing them into the middle of the progress output.
 */
class CaptureLog extends Log {
	/** @param {(line: string) => void} sink */
	constructor(sink) {
		super(LogLevel.WARN)
		this.sink = sink
	}

	/** @param {string} message */
	log(message) {
		this.sink(message)
	}
}

/**
 * @typedef {object} Runtime
 * @property {string} gatewayUrl origin of the gateway, e.g. http://127.0.0.1:PORT
 * @property {string} baselineUrl origin of the baseline Worker
 * @property {string} adminToken bearer token for the gateway's /api
 * @property {() => Promise<number | null>} workerdPid the workerd process, for RSS sampling
 *   (looked up each time: Miniflare restarts a crashed runtime as a new process)
 * @property {() => Promise<URL>} inspectorUrl
 * @property {{ errors: number, restarts: number, last: string[] }} logs errors and warnings the
 *   Workers logged, and how often the runtime crashed and was restarted
 * @property {() => Promise<void>} close
 */

/** Bundles a Worker with wrangler's own pipeline (esbuild + nodejs_compat polyfills). */
async function build(configPath, outdir) {
	try {
		await run(
			process.execPath,
			[WRANGLER_BIN, 'deploy', '--dry-run', '--config', configPath, '--outdir', outdir],
			{ cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' } },
		)
	} catch (err) {
		// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
		const stderr = String(err.stderr ?? '').replace(/\x1b\[[0-9;]*m/g, '')
		throw new Error(`building ${configPath} failed:\n${stderr.trim()}`)
	}
	const entry = (await readdir(outdir)).find((f) => f.endsWith('.js'))
	if (!entry) throw new Error(`wrangler produced no bundle in ${outdir}`)
	return join(outdir, entry)
}

/** Runs `fn` with wrangler's logger at warn, so its info lines stay out of the table on stdout. */
function quietly(fn) {
	const before = process.env.WRANGLER_LOG
	process.env.WRANGLER_LOG = 'warn'
	try {
		return fn()
	} finally {
		if (before === undefined) delete process.env.WRANGLER_LOG
		else process.env.WRANGLER_LOG = before
	}
}

/** Module options for one bundled file (module names must be relative to their root). */
const bundle = (path) => ({ modulesRoot: dirname(path), modules: [{ type: 'ESModule', path }] })

/** The workerd child Miniflare spawned (its RSS is the isolate's memory plus the runtime's). */
async function findWorkerdPid() {
	for (const entry of await readdir('/proc').catch(() => [])) {
		if (!/^\d+$/.test(entry)) continue
		try {
			const stat = await readFile(`/proc/${entry}/stat`, 'utf8')
			const m = /^\d+ \((.*)\) \S (\d+)/.exec(stat)
			if (m && m[1] === 'workerd' && Number(m[2]) === process.pid) return Number(entry)
		} catch {}
	}
	return null
}

/**
 * Where the runtime keeps its state (Durable Object SQLite, R2, queue) during a run.
 *
 * Local workerd writes that state on its one event-loop thread, fsync included, so on a
 * slow virtual disk every Durable Object commit stalls every Worker in the process (the
 * runtime sits in uninterruptible disk wait, top's "D"). That measures the disk, not the
 * gateway, and it is nothing like production, where storage is a remote service. So
 * state goes to RAM (/dev/shm) when the machine has it; `--disk` keeps it in the temp
 * dir to measure the disk-bound case.
 * @param {boolean} disk
 * @returns {{ dir: string, kind: 'tmpfs' | 'disk' }}
 */
export function stateLocation(disk) {
	if (!disk && existsSync('/dev/shm')) {
		try {
			accessSync('/dev/shm', constants.W_OK)
			return { dir: '/dev/shm', kind: 'tmpfs' }
		} catch {}
	}
	return { dir: tmpdir(), kind: 'disk' }
}

/**
 * Starts both Workers with persistence in a fresh temp dir.
 * @param {{ inspector?: boolean, stateDir?: string }} [opts]
 * @returns {Promise<Runtime>}
 */
export async function startRuntime(opts = {}) {
	const dir = await mkdtemp(join(opts.stateDir ?? tmpdir(), 'triggerflare-bench-'))
	try {
		return await start(dir, opts)
	} catch (err) {
		await rm(dir, { recursive: true, force: true })
		throw err
	}
}

/**
 * @param {string} dir a fresh temp dir for bundles and state
 * @param {{ inspector?: boolean }} opts
 * @returns {Promise<Runtime>}
 */
async function start(dir, opts) {
	const [gatewayScript, baselineScript] = await Promise.all([
		build('wrangler.toml', join(dir, 'gateway')),
		build('bench/baseline/wrangler.toml', join(dir, 'baseline')),
	])
	const adminToken = randomBytes(24).toString('hex')
	// modulesRules and rootPath describe an unbundled source tree; ours is one bundled file.
	const {
		modulesRules: _rules,
		rootPath: _root,
		...workerOptions
	} = quietly(() => unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml')).workerOptions)
	const {
		modulesRules: _baselineRules,
		rootPath: _baselineRoot,
		...baselineOptions
	} = quietly(
		() =>
			unstable_getMiniflareWorkerOptions(join(ROOT, 'bench/baseline/wrangler.toml')).workerOptions,
	)
	const logs = { errors: 0, restarts: 0, last: /** @type {string[]} */ ([]) }
	const keep = (/** @type {string} */ line) => {
		logs.errors++
		logs.last.push(line.slice(0, 500))
		if (logs.last.length > 20) logs.last.shift()
	}
	const socket = { host: '127.0.0.1', port: 0 }
	const mf = new Miniflare(
		convertV4MiniflareOptions({
			host: '127.0.0.1',
			port: 0,
			...(opts.inspector ? { inspectorPort: 0, inspectorHost: '127.0.0.1' } : {}),
			resourcePersistencePath: join(dir, 'state'),
			resourceTmpPath: join(dir, 'tmp'),
			log: new CaptureLog(keep),
			handleStructuredLogs(log) {
				if (log.level === 'error' || log.level === 'warn') keep(log.message)
			},
			unsafeHandleRuntimeRestart() {
				logs.restarts++
			},
			workers: [
				{
					...workerOptions,
					name: 'triggerflare',
					...bundle(gatewayScript),
					bindings: { ...workerOptions.bindings, ADMIN_TOKEN: adminToken },
					unsafeDirectSockets: [socket],
				},
				{
					...baselineOptions,
					name: 'baseline',
					...bundle(baselineScript),
					unsafeDirectSockets: [socket],
				},
			],
		}),
	)
	try {
		await mf.ready
	} catch (err) {
		await mf.dispose().catch(() => {})
		throw err
	}
	const origin = (url) => url.origin.replace('localhost', '127.0.0.1')
	const gatewayUrl = origin(await mf.unsafeGetDirectURL('triggerflare'))
	const baselineUrl = origin(await mf.unsafeGetDirectURL('baseline'))
	return {
		gatewayUrl,
		baselineUrl,
		adminToken,
		workerdPid: findWorkerdPid,
		inspectorUrl: () => mf.getInspectorURL(),
		logs,
		async close() {
			await mf.dispose()
			await rm(dir, { recursive: true, force: true })
		},
	}
}
