/**
 * A webhook's cost is a count, so it is bounded here like any other behaviour: a change
 * that writes one more row per webhook fails CI. The figures are the cost meter's, from
 * the runtime's own counters (bench/cost/scenarios.ts; `npm run bench:cost` prints all).
 */
import { describe, expect, it } from 'vitest'
import { runScenario, SCENARIOS } from '../../bench/cost/scenarios'

const scenario = (name: string) => {
	const found = SCENARIOS.find((s) => s.name === name)
	if (!found) throw new Error(`no scenario ${name}`)
	return found
}

describe('cost per webhook (counted, not estimated)', () => {
	it('an async webhook writes at most 5.05 rows over its life', async () => {
		const result = await runScenario(scenario('async'), 40)
		expect(result.live.rowsWritten + result.later.rowsWritten).toBeLessThanOrEqual(5.05)
		// Every webhook was handled: one accept, one start, one completion each.
		expect(result.queueOps).toBe(3)
	})
})
