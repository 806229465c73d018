/**
 * JSONata expressions of data flows and filters are bounded: endless recursion, endless
 * tail calls and huge sequences fail with an error instead of holding the request.
 */
import { describe, expect, it } from 'vitest'
import { evaluate } from '../../src/integrations/steps'

const scope = () => ({ steps: {}, body: { items: [1, 2, 3] } })

describe('expression bounds', () => {
	it('evaluates ordinary expressions, and counts each evaluation on its own', async () => {
		const source = '$sum(body.items.($ * 2))'
		const results = await Promise.all(Array.from({ length: 20 }, () => evaluate(source, scope())))
		expect(results).toEqual(Array(20).fill(12))
	})

	it('stops endless tail recursion after the step budget', async () => {
		await expect(
			evaluate('($loop := function($n) { $loop($n + 1) }; $loop(0))', scope()),
		).rejects.toMatchObject({ message: expect.stringMatching(/evaluation steps|stack/i) })
	})

	it('stops deep recursion and huge sequences', async () => {
		await expect(
			evaluate(
				'($deep := function($n) { $n = 0 ? 0 : 1 + $deep($n - 1) }; $deep(100000))',
				scope(),
			),
		).rejects.toBeTruthy()
		await expect(evaluate('$count([1..5000000])', scope())).rejects.toBeTruthy()
	})

	it('still runs a loop that stays within the budget', async () => {
		expect(await evaluate('$count([1..10000])', scope())).toBe(10000)
	})
})
