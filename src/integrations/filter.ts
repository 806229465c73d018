/**
 * A flow's `filter`: a JSONata expression deciding whether a request starts the flow at
 * all. The trigger path asks first (a request it rejects is never recorded); the runner
 * asks again, so a replay after the filter changed follows the new one.
 * @module
 */
import type { InstanceInfo, TriggerPayload } from './define'
import { evaluate, initialScope } from './steps'

export type FilterVerdict =
	| { kind: 'pass' }
	| { kind: 'filtered' }
	| { kind: 'error'; message: string }

type FilterInput = Pick<TriggerPayload, 'body' | 'headers' | 'queryParameters'> &
	Partial<TriggerPayload>

export async function applyFilter(
	expression: string,
	input: FilterInput,
	context: { config: Record<string, unknown>; instance: InstanceInfo },
): Promise<FilterVerdict> {
	try {
		const value = await evaluate(expression, initialScope(context, input))
		// JSONata's own truthiness: empty arrays, "" and 0 are false; no match is undefined.
		return isTruthy(value) ? { kind: 'pass' } : { kind: 'filtered' }
	} catch (err) {
		return { kind: 'error', message: (err as Error).message ?? String(err) }
	}
}

function isTruthy(value: unknown): boolean {
	if (Array.isArray(value)) return value.some(isTruthy)
	return Boolean(value)
}
