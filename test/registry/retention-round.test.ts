import { describe, expect, it } from 'vitest'
import { RETENTION_ROUND_BATCH, RETENTION_ROUND_CONCURRENCY } from '../../src/limits'
import { roundStep } from '../../src/registry/retention-round'

const ids = Array.from(
	{ length: 2 * RETENTION_ROUND_BATCH + 7 },
	(_, i) => `ep${String(i).padStart(4, '0')}`,
)

function fleet(failing: Set<string> = new Set()) {
	const swept: string[] = []
	let inFlight = 0
	let peak = 0
	return {
		swept,
		peak: () => peak,
		deps: {
			endpointsAfter: (cursor: string, limit: number) =>
				ids.filter((id) => id > cursor).slice(0, limit),
			sweep: async (id: string) => {
				inFlight++
				peak = Math.max(peak, inFlight)
				await new Promise((r) => setTimeout(r, 1))
				inFlight--
				if (failing.has(id)) throw new Error('endpoint unreachable')
				swept.push(id)
			},
		},
	}
}

describe('the retention round', () => {
	it('asks every endpoint once, a batch per run, going on from its cursor', async () => {
		const f = fleet()
		let cursor: string | null = ''
		const cursors: Array<string | null> = []
		while (cursor !== null) {
			cursor = await roundStep(f.deps, cursor)
			cursors.push(cursor)
		}
		expect(cursors).toEqual([
			ids[RETENTION_ROUND_BATCH - 1],
			ids[2 * RETENTION_ROUND_BATCH - 1],
			null,
		])
		expect([...f.swept].sort()).toEqual(ids)
		expect(f.peak()).toBeLessThanOrEqual(RETENTION_ROUND_CONCURRENCY)
		expect(f.peak()).toBeGreaterThan(1)
	})

	it('an endpoint that fails does not stop the others', async () => {
		const f = fleet(new Set([ids[0] as string, ids[5] as string]))
		await roundStep(f.deps, '')
		expect(f.swept).toHaveLength(RETENTION_ROUND_BATCH - 2)
		expect(f.swept).not.toContain(ids[0])
	})
})
