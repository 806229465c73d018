// Builds what the package exports (npm pack runs it): lib/gateway.js, one ES module
// compiled from src/gateway.ts with this repo's compiler settings (JSX with hono/jsx), and
// types/ with its declarations. A user's bundler then never compiles the gateway's
// TypeScript with settings of its own, and a user's tsc reads declarations only.
// Dependencies stay imports, resolved from the user's node_modules.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
for (const dir of ['lib', 'types']) rmSync(join(root, dir), { recursive: true, force: true })

await build({
	absWorkingDir: root,
	entryPoints: ['src/gateway.ts'],
	outfile: 'lib/gateway.js',
	bundle: true,
	packages: 'external',
	format: 'esm',
	platform: 'neutral',
	target: 'es2024',
	tsconfig: 'tsconfig.json',
	sourcemap: true,
	logLevel: 'warning',
})

execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.lib.json'], {
	cwd: root,
	stdio: 'inherit',
})
