/**
 * Flows written as data. Expressions are JSONata (https://jsonata.org), evaluated over
 * `{ payload, body, headers, query, config, instance, steps, item, index }`, where `body`
 * is `payload.body.data` and `steps` holds each earlier step's output by name.
 * @module
 */
import jsonata from 'jsonata'
import type { FlowContext, TriggerPayload } from './define'

export type DeclarativeStep =
	/** Evaluates a JSONata expression; its value is the step's output. */
	| { type: 'transform'; name: string; expression: string }
	/** An HTTP request. `url`, `body` and header values are JSONata expressions; a non-2xx answer fails the step. */
	| {
			type: 'http'
			name: string
			method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
			url: string
			headers?: Record<string, string>
			body?: string
			timeoutMs?: number
	  }
	/**
	 * Runs `whenTrue` when `condition` is truthy, else `whenFalse`. (Not `then`/`else`: an
	 * object with a `then` property is a thenable, which `await` would try to call.)
	 */
	| {
			type: 'branch'
			name: string
			condition: string
			whenTrue: DeclarativeStep[]
			whenFalse?: DeclarativeStep[]
	  }
	/** Runs `steps` once per element of `items` (an expression), with `item` and `index` in scope. */
	| { type: 'loop'; name: string; items: string; steps: DeclarativeStep[] }

type Scope = Record<string, unknown> & { steps: Record<string, unknown> }

const compiled = new Map<string, ReturnType<typeof jsonata>>()
/**
 * Integrations written as data bring expressions at runtime: the cache of compiled ones
 * is bounded, so an isolate's memory does not grow with every definition ever written.
 */
const MAX_COMPILED = 2_000

/**
 * Bounds on one evaluation. A filter runs on the trigger path and steps in the runner, so
 * an expression that recurses without end or loops for ever must fail, not hold the
 * request until the platform kills it. JSONata's own `timeout` reads a clock that stands
 * still in workerd while code runs, so the bound is a count of evaluation steps, kept per
 * evaluation (keyed by its root frame) by JSONata's entry hook.
 */
export const MAX_EVALUATION_STEPS = 100_000
const MAX_DEPTH = 300
const MAX_SEQUENCE = 100_000
const ENTRY_HOOK = Symbol.for('jsonata.__evaluate_entry')
const stepsTaken = new WeakMap<object, number>()

function countStep(_node: unknown, _input: unknown, environment: { base: object }): void {
	const taken = (stepsTaken.get(environment.base) ?? 0) + 1
	if (taken > MAX_EVALUATION_STEPS)
		throw new Error(`Expression stopped after ${MAX_EVALUATION_STEPS} evaluation steps`)
	stepsTaken.set(environment.base, taken)
}

function expression(source: string): ReturnType<typeof jsonata> {
	let expr = compiled.get(source)
	if (!expr) {
		expr = jsonata(source, { stack: MAX_DEPTH, sequence: MAX_SEQUENCE })
		// Bindings are keyed by name; JSONata looks its hooks up under a symbol.
		expr.assign(ENTRY_HOOK as unknown as string, countStep)
		if (compiled.size >= MAX_COMPILED) compiled.clear()
		compiled.set(source, expr)
	}
	return expr
}

export async function evaluate(source: string, scope: Scope): Promise<unknown> {
	return await expression(source).evaluate(scope)
}

/** Fails at definition time rather than at the first request: every expression must parse. */
export function validateSteps(steps: DeclarativeStep[], where = 'steps'): void {
	for (const [i, step] of steps.entries()) {
		const at = `${where}[${i}] (${step.name})`
		const sources: string[] = []
		if (step.type === 'transform') sources.push(step.expression)
		if (step.type === 'http')
			sources.push(
				step.url,
				...(step.body ? [step.body] : []),
				...Object.values(step.headers ?? {}),
			)
		if (step.type === 'branch') sources.push(step.condition)
		if (step.type === 'loop') sources.push(step.items)
		for (const s of sources) {
			try {
				expression(s)
			} catch (err) {
				throw new Error(`${at}: invalid JSONata: ${(err as Error).message}`)
			}
		}
		if (step.type === 'branch') {
			validateSteps(step.whenTrue, `${at}.whenTrue`)
			if (step.whenFalse) validateSteps(step.whenFalse, `${at}.whenFalse`)
		}
		if (step.type === 'loop') validateSteps(step.steps, `${at}.steps`)
	}
}

/** What expressions see: the payload's parts by name, the instance's config, earlier steps. */
export function initialScope(
	context: Pick<FlowContext<unknown>, 'config' | 'instance'>,
	payload: Pick<TriggerPayload, 'body' | 'headers' | 'queryParameters'>,
): Scope {
	return {
		payload,
		body: payload.body.data,
		headers: payload.headers,
		query: payload.queryParameters,
		config: context.config,
		instance: context.instance,
		steps: {},
	}
}

/** Runs steps in order; the result is the last step's output. */
export async function runSteps(
	steps: DeclarativeStep[],
	context: FlowContext<unknown>,
	scope: Scope,
): Promise<unknown> {
	let last: unknown = null
	for (const step of steps) {
		last = await context.step(step.name, () => runStep(step, context, scope))
		scope.steps[step.name] = last
	}
	return last
}

async function runStep(
	step: DeclarativeStep,
	context: FlowContext<unknown>,
	scope: Scope,
): Promise<unknown> {
	switch (step.type) {
		case 'transform':
			return (await evaluate(step.expression, scope)) ?? null
		case 'http':
			return httpStep(step, context, scope)
		case 'branch': {
			const matched = Boolean(await evaluate(step.condition, scope))
			const branch = matched ? step.whenTrue : (step.whenFalse ?? [])
			return { matched, output: await runSteps(branch, context, scope) }
		}
		case 'loop': {
			const items = await evaluate(step.items, scope)
			const list = Array.isArray(items)
				? items
				: items === undefined || items === null
					? []
					: [items]
			const outputs: unknown[] = []
			for (const [index, item] of list.entries()) {
				const inner: Scope = { ...scope, item, index, steps: { ...scope.steps } }
				outputs.push(await runSteps(step.steps, context, inner))
			}
			return outputs
		}
	}
}

async function httpStep(
	step: Extract<DeclarativeStep, { type: 'http' }>,
	context: FlowContext<unknown>,
	scope: Scope,
): Promise<unknown> {
	const url = String(await evaluate(step.url, scope))
	const headers: Record<string, string> = {}
	for (const [name, expr] of Object.entries(step.headers ?? {}))
		headers[name] = String(await evaluate(expr, scope))
	let body: string | undefined
	if (step.body !== undefined) {
		const value = await evaluate(step.body, scope)
		body = typeof value === 'string' ? value : JSON.stringify(value)
		if (
			typeof value !== 'string' &&
			!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
		) {
			headers['content-type'] = 'application/json'
		}
	}
	const res = await context.fetch(url, {
		method: step.method ?? (body === undefined ? 'GET' : 'POST'),
		headers,
		...(body === undefined ? {} : { body }),
		...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
	})
	const text = await res.text()
	let parsed: unknown = text
	if ((res.headers.get('content-type') ?? '').includes('json')) {
		try {
			parsed = JSON.parse(text)
		} catch {
			parsed = text
		}
	}
	if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).host}`)
	return { status: res.status, body: parsed }
}
