/**
 * A client can be generated from the served OpenAPI document: `openapi-typescript` turns
 * `/api/openapi.json` of a real `wrangler dev` into types without an error, and code
 * written against those types (and real responses) type-checks.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DevServer, startDevServer } from './dev-server'

const run = promisify(execFile)
let server: DevServer
let dir: string

beforeAll(async () => {
	server = await startDevServer('openapi-test-token')
	dir = mkdtempSync(join(tmpdir(), 'triggerflare-openapi-'))
})

afterAll(async () => {
	await server?.stop()
	if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Uses the generated types the way a client would; a wrong or missing type fails tsc. */
const USAGE = `
import type { components, operations, paths } from './api'

type Schemas = components['schemas']
type Deployed = paths['/instances']['post']['responses'][201]['content']['application/json']
type Execution = operations['getExecution']['responses'][200]['content']['application/json']
type Problem = operations['getExecution']['responses'][404]['content']['application/json']

export function firstUrl(instance: Deployed): string | undefined {
	const keys: string[] | undefined = instance.webhookApiKeys.echo
	return keys ? instance.endpoints[0]?.url : instance.webhookUrls.echo
}

export function describeExecution(e: Execution): string {
	const version: number | null = e.integrationVersion
	const status: Schemas['ExecutionStatus'] = e.status
	return \`\${e.id} \${status} \${version ?? 'code'} \${e.steps.map((s) => s.name).join()}\`
}

export const problem: Problem = { error: 'Execution not found.' }
export const request: Schemas['CreateInstanceRequest'] = { integration: 'examples' }
export const definition: Schemas['IntegrationDefinition'] = {
	flows: { notify: { steps: [{ type: 'transform', name: 'text', expression: 'body.title' }] } },
}
// @ts-expect-error: a status the API never reports
export const wrong: Schemas['ExecutionStatus'] = 'lost'
`

describe('a client generated from /api/openapi.json', () => {
	it('openapi-typescript generates types that type-check', async () => {
		const out = join(dir, 'api.ts')
		await run('npx', ['openapi-typescript', `${server.url}/api/openapi.json`, '-o', out])
		const types = readFileSync(out, 'utf8')
		for (const name of ['Execution', 'DeployedInstance', 'Endpoint', 'DataIntegration', 'Error'])
			expect(types).toContain(`${name}: {`)
		writeFileSync(join(dir, 'usage.ts'), USAGE)
		const problems = await run(
			'npx',
			[
				'tsc',
				'--noEmit',
				'--strict',
				'--noUncheckedIndexedAccess',
				'--target',
				'es2022',
				'--module',
				'esnext',
				'--moduleResolution',
				'bundler',
				join(dir, 'usage.ts'),
			],
			{ cwd: process.cwd() },
		).then(
			() => '',
			(err: { stdout?: string; stderr?: string }) =>
				`${err.stdout ?? ''}${err.stderr ?? ''}` || 'tsc failed',
		)
		expect(problems).toBe('')
	}, 180_000)
})
