#!/usr/bin/env node
// Launcher for the CLI in cli/index.ts. It bundles the TypeScript (the CLI shares the
// gateway's signing code in src/auth) with esbuild in memory and runs it: no build step.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = await build({
	entryPoints: [join(root, 'cli/index.ts')],
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node22',
	write: false,
	logLevel: 'error',
})
const dir = mkdtempSync(join(tmpdir(), 'triggerflare-cli-'))
const file = join(dir, 'cli.mjs')
writeFileSync(file, out.outputFiles[0].contents)
try {
	await import(pathToFileURL(file).href)
} finally {
	rmSync(dir, { recursive: true, force: true })
}
