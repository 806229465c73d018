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
	it('an async webhook writes 2 rows over its life on steady traffic, plus the alarm cycles a burst shares', async () => {
		const n = 40
		const result = await runScenario(scenario('async'), n)
		// Rows over the whole run: 2 per webhook (the record, taking the row of one a month
		// old, and the outcome: a start writes nothing, unfinished rows need no index), and
		// the burst's alarm cycle or two (arming, the next wake), which depend on timing.
		const rows = Math.round((result.live.rowsWritten + result.later.rowsWritten) * n)
		expect(rows).toBeGreaterThanOrEqual(2 * n)
		expect(rows).toBeLessThanOrEqual(2 * n + 6)
		// A queue message costs three operations (send, delivery, ack); sends that queue up
		// behind one another in a burst travel packed, so a webhook's share is at most that.
		expect(result.queueOps).toBeGreaterThan(0)
		expect(result.queueOps).toBeLessThanOrEqual(3)
	})

	it("on an endpoint's last month, each record is deleted at retention: 3 rows", async () => {
		const n = 40
		const result = await runScenario(
			scenario("async, an endpoint's last month (no later traffic takes its records' rows)"),
			n,
		)
		// Every record but the newest (it carries the sequence number) is deleted.
		expect(Math.round(result.later.rowsWritten * n)).toBeGreaterThanOrEqual(n - 1)
		const rows = Math.round((result.live.rowsWritten + result.later.rowsWritten) * n)
		expect(rows).toBeGreaterThanOrEqual(3 * n - 1)
		expect(rows).toBeLessThanOrEqual(3 * n + 6)
	})
})
