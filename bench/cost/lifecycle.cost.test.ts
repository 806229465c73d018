/**
 * `npm run bench:cost`: every scenario of scenarios.ts, one line of JSON each on stdout
 * (`COST_RESULT {...}`), which bench/cost/run.mjs collects into bench/results/cost.json.
 */
import { env } from 'cloudflare:workers'
import { expect, it } from 'vitest'
import { runScenario, SCENARIOS } from './scenarios'

const WEBHOOKS = Number((env as unknown as { COST_WEBHOOKS?: string }).COST_WEBHOOKS ?? 200)

for (const scenario of SCENARIOS) {
	it(scenario.name, async () => {
		const result = await runScenario(scenario, WEBHOOKS)
		expect(result.rowsWritten).toBeGreaterThan(0)
		console.log(`COST_RESULT ${JSON.stringify(result)}`)
	}, 300_000)
}
