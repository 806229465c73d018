/**
 * `npm run bench:cost`: runs the cost scenarios in workerd (vitest.cost.config.ts), prints
 * the per-webhook table and writes bench/results/cost.json.
 *
 *   node bench/cost/run.mjs [--webhooks 200] [--out bench/results/cost.json]
 * @module
 */
import { spawn } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
	options: {
		webhooks: { type: 'string', default: '200' },
		out: { type: 'string', default: 'bench/results/cost.json' },
	},
})

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..')
const output = await new Promise((resolveRun, reject) => {
	let text = ''
	const child = spawn('npx', ['vitest', 'run', '-c', 'vitest.cost.config.ts'], {
		cwd: root,
		env: { ...process.env, COST_WEBHOOKS: args.webhooks },
		stdio: ['ignore', 'pipe', 'inherit'],
	})
	child.stdout.on('data', (chunk) => {
		text += chunk
	})
	child.on('error', reject)
	child.on('close', (code) =>
		code === 0
			? resolveRun(text)
			: reject(new Error(`cost scenarios failed (exit ${code})\n${text}`)),
	)
})

const results = output
	.split('\n')
	.map((line) => line.slice(line.indexOf('COST_RESULT ')))
	.filter((line) => line.startsWith('COST_RESULT '))
	.map((line) => JSON.parse(line.slice('COST_RESULT '.length)))
if (results.length === 0) throw new Error(`no COST_RESULT lines in:\n${output}`)

const out = resolve(root, args.out)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(results, null, '\t')}\n`)

const fmt = (n) => (Number.isInteger(n) ? String(n) : n.toFixed(2))
const split = (r, op) => `${fmt(r.live[op])} + ${fmt(r.later[op])}`
const rows = [
	[
		'scenario',
		'rows written (live + later)',
		'rows read',
		'DO requests',
		'Worker requests',
		'queue ops',
		'R2 A',
		'R2 B',
		'$ per million',
	],
	...results.map((r) => [
		r.scenario,
		split(r, 'rowsWritten'),
		fmt(r.rowsRead),
		fmt(r.doRequests),
		fmt(r.workerRequests),
		fmt(r.queueOps),
		fmt(r.r2ClassA),
		fmt(r.r2ClassB),
		r.dollarsPerMillion.toFixed(2),
	]),
]
console.log(
	`\nCost per webhook over its life (${args.webhooks} webhooks of ~1 KB JSON per scenario):\n`,
)
for (const row of rows) console.log(`| ${row.join(' | ')} |`)
console.log(`\nwrote ${args.out}`)
