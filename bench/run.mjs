/**
 * `npm run bench`: starts the gateway and the baseline Worker on workerd, sets up state
 * through the admin API, runs every scenario A/B-interleaved against the baseline, prints
 * a table and writes bench/results/latest.json. See bench/README.md.
 *
 *   node bench/run.mjs [--only accept,hot] [--rounds 3] [--seconds 3] [--quick]
 *                      [--out bench/results/latest.json] [--profile] [--markdown]
 * @module
 */
import { execFileSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { Admin } from './lib/admin.mjs'
import { createFixtures } from './lib/fixtures.mjs'
import { inspectorSessions } from './lib/inspector.mjs'
import { startProfile } from './lib/profile.mjs'
import { formatMarkdown, formatTable, skipped, writeResults } from './lib/report.mjs'
import { runtimeVersions, startRuntime, stateLocation } from './lib/runtime.mjs'
import accept from './scenarios/accept.mjs'
import fifo from './scenarios/fifo.mjs'
import forged from './scenarios/forged.mjs'
import hot from './scenarios/hot.mjs'
import large from './scenarios/large.mjs'
import naive from './scenarios/naive.mjs'
import refuse from './scenarios/refuse.mjs'
import sync from './scenarios/sync.mjs'

/** @type {import('./scenarios/context.mjs').Scenario[]} */
const SCENARIOS = [accept, naive, hot, refuse, forged, sync, large, fifo]

/** The whole run must stay under 10 minutes; no scenario is started past this. */
const BUDGET_MS = 9 * 60 * 1000

const { values: args } = parseArgs({
	options: {
		only: { type: 'string' },
		rounds: { type: 'string' },
		seconds: { type: 'string' },
		quick: { type: 'boolean', default: false },
		profile: { type: 'boolean', default: false },
		disk: { type: 'boolean', default: false },
		markdown: { type: 'boolean', default: false },
		out: { type: 'string', default: 'bench/results/latest.json' },
		help: { type: 'boolean', default: false },
	},
})

if (args.help) {
	console.log(
		'node bench/run.mjs [--only a,b] [--rounds N] [--seconds S] [--quick] [--out file] [--profile] [--disk] [--markdown]\n',
	)
	for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(8)} ${s.summary}`)
	process.exit(0)
}

const only = args.only ? new Set(args.only.split(',')) : null
const unknown = [...(only ?? [])].filter((n) => !SCENARIOS.some((s) => s.name === n))
if (unknown.length) {
	console.error(`unknown scenario(s): ${unknown.join(', ')}`)
	process.exit(2)
}
const settings = {
	rounds: Number(args.rounds ?? (args.quick ? 1 : 3)),
	secondsPerSidePerRound: Number(args.seconds ?? (args.quick ? 1.5 : 3)),
	only: only ? [...only] : null,
	profiled: args.profile,
	state: stateLocation(args.disk).kind,
}

const started = Date.now()
const log = (/** @type {string} */ msg) =>
	process.stderr.write(
		`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${msg}\n`,
	)

log('building and starting the gateway and the baseline on workerd…')
/** @type {import('./lib/runtime.mjs').Runtime} */
let rt
try {
	rt = await startRuntime({ inspector: true, stateDir: stateLocation(args.disk).dir })
} catch (err) {
	log(`could not start the Workers: ${err?.message ?? err}`)
	process.exit(1)
}
const inspectors = inspectorSessions(rt)
// Whatever happens, workerd must not outlive the run.
let closing = null
const close = () => {
	closing ??= inspectors
		.closeAll()
		.then(() => rt.close())
		.catch(() => {})
	return closing
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
	process.once(signal, () => close().then(() => process.exit(130)))
}

/** @type {import('./lib/report.mjs').Row[]} */
const rows = []
let exitCode = 0
try {
	log(`gateway ${rt.gatewayUrl}, baseline ${rt.baselineUrl}`)
	const admin = new Admin(rt.gatewayUrl, rt.adminToken)
	/** @type {import('./scenarios/context.mjs').Context} */
	const ctx = {
		rt,
		admin,
		fx: await createFixtures(admin, log),
		rounds: settings.rounds,
		seconds: settings.secondsPerSidePerRound,
		drainMs: args.quick ? 10_000 : 30_000,
		log,
		inspector: (side) => inspectors.get(side),
	}
	for (const scenario of SCENARIOS) {
		if (only && !only.has(scenario.name)) continue
		if (Date.now() - started > BUDGET_MS) {
			rows.push(skipped(scenario.name, 'time budget spent'))
			continue
		}
		log(`scenario ${scenario.name}: ${scenario.summary}`)
		try {
			rows.push(...(await runScenario(scenario, ctx)))
		} catch (err) {
			exitCode = 1
			log(`scenario ${scenario.name} failed: ${err?.stack ?? err}`)
			rows.push(skipped(scenario.name, `failed: ${String(err?.message ?? err).slice(0, 200)}`))
		}
	}
} catch (err) {
	exitCode = 1
	log(`setup failed: ${err?.stack ?? err}`)
} finally {
	await close()
}

console.log(args.markdown ? formatMarkdown(rows) : formatTable(rows))
if (rows.length) {
	await writeResults(resolve(args.out), {
		generatedAt: new Date().toISOString(),
		durationS: Math.round((Date.now() - started) / 1000),
		gateway: gatewayRevision(),
		runtime: runtimeVersions(),
		machine: {
			cpus: cpus().length,
			cpuModel: cpus()[0]?.model ?? null,
			memGb: Math.round(totalmem() / 1024 ** 3),
			node: process.version,
		},
		settings,
		rows,
	})
	log(`wrote ${args.out}`)
}
log(`done in ${Math.round((Date.now() - started) / 1000)} s`)
process.exit(exitCode)

/**
 * One scenario, with what the runtime said meanwhile (errors, crashes) added to its rows
 * and, with --profile, a CPU profile of the gateway's isolate.
 * @param {import('./scenarios/context.mjs').Scenario} scenario
 * @param {import('./scenarios/context.mjs').Context} ctx
 */
async function runScenario(scenario, ctx) {
	const before = { ...rt.logs }
	const gateway = args.profile ? await ctx.inspector('gateway') : null
	const profile = gateway ? await startProfile(gateway) : null
	const result = await scenario.run(ctx)
	const extra = []
	if (profile) {
		const path = resolve(dirname(resolve(args.out)), `${scenario.name}.cpuprofile`)
		const cpuTop = await profile.stop(path)
		log(`  cpu profile: ${path}`)
		extra.push({ note: 'PROFILED (slower)', details: { cpuProfile: path, cpuTop } })
	}
	const restarts = rt.logs.restarts - before.restarts
	if (restarts > 0) extra.push({ note: `WORKERD CRASHED AND RESTARTED ×${restarts}` })
	const logged = rt.logs.errors - before.errors
	if (logged > 0) {
		extra.push({
			note: `runtime logged ${logged} error(s)/warning(s)`,
			details: { runtimeLogs: rt.logs.last.slice(-Math.min(logged, 5)) },
		})
	}
	for (const r of result) {
		for (const { note, details } of extra) {
			r.notes = [r.notes, note].filter(Boolean).join('; ')
			r.details = { ...r.details, ...details }
		}
	}
	return result
}

/** Which gateway code was measured: the commit, and whether src/ differed from it. */
function gatewayRevision() {
	try {
		const git = (/** @type {string[]} */ a) => execFileSync('git', a, { encoding: 'utf8' }).trim()
		return {
			commit: git(['rev-parse', 'HEAD']),
			dirty: git(['status', '--porcelain', '--', 'src', 'wrangler.toml']) !== '',
		}
	} catch {
		return null
	}
}
