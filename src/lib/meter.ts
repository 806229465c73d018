/**
 * The cost meter: counts the operations Cloudflare bills, as they happen, for the cost
 * benchmark and the tests that bound a webhook's cost. Rows come from the runtime's own
 * counters (`cursor.rowsWritten` / `rowsRead` of every statement); calls are counted
 * where they are made (every RPC through a stub, every alarm, queue send, delivery and
 * ack, R2 call). Off unless a test or benchmark turns it on: then one boolean check per
 * operation is all it costs.
 * @module
 */
import type { Env } from '../env'

export interface CostCounts {
	/** SQLite rows written (each table row and index entry), `setAlarm` calls included. */
	rowsWritten: number
	rowsRead: number
	/** Durable Object requests: RPC calls and alarm invocations. */
	doRequests: number
	/** Worker invocations: HTTP requests and queue consumer batches. */
	workerRequests: number
	/** Queue operations: a write per message sent, a read per delivery, a delete per ack. */
	queueOps: number
	r2ClassA: number
	r2ClassB: number
	/** Of `rowsWritten`: `setAlarm` calls (each billed as a row written). */
	alarmsSet: number
}

export const emptyCounts = (): CostCounts => ({
	rowsWritten: 0,
	rowsRead: 0,
	doRequests: 0,
	workerRequests: 0,
	queueOps: 0,
	r2ClassA: 0,
	r2ClassB: 0,
	alarmsSet: 0,
})

interface Meter {
	/** Bindings are wrapped for counting (set once, before the objects to meter exist). */
	installed: boolean
	enabled: boolean
	counts: CostCounts
	/** The same counts by where they come from (`doRequests:start`, `r2ClassA:put`, ...). */
	sources: Record<string, number>
	/** Statements run while metering: their cursors' counters are read at `snapshot`. */
	cursors: Array<{ query: string; cursor: SqlStorageCursor<Record<string, SqlStorageValue>> }>
}

const meter: Meter = {
	installed: false,
	enabled: false,
	counts: emptyCounts(),
	sources: {},
	cursors: [],
}

export function count(kind: keyof CostCounts, n = 1, source = ''): void {
	if (!meter.enabled) return
	meter.counts[kind] += n
	const key = source ? `${kind}:${source}` : kind
	meter.sources[key] = (meter.sources[key] ?? 0) + n
}

/**
 * Wraps the bindings of every Worker invocation and Durable Object created from now on,
 * so that they can be counted; without it `meteredEnv` is the identity, and production
 * pays one boolean check.
 */
export function installMeter(): void {
	meter.installed = true
}

/** Turns counting on (or off) and starts from zero. */
export function startMetering(on = true): void {
	meter.installed = true
	meter.enabled = on
	meter.counts = emptyCounts()
	meter.sources = {}
	meter.cursors = []
}

/** Where the counts so far come from. */
export function sources(): Record<string, number> {
	return { ...meter.sources }
}

/** The counts so far (statements' row counters read now, once they have run). */
export function snapshot(): CostCounts {
	for (const { query, cursor } of meter.cursors) {
		const statement = query.replace(/\s+/g, ' ').trim().slice(0, 60)
		for (const kind of ['rowsRead', 'rowsWritten'] as const) {
			const n = cursor[kind]
			if (n === 0) continue
			meter.counts[kind] += n
			meter.sources[`${kind}:${statement}`] = (meter.sources[`${kind}:${statement}`] ?? 0) + n
		}
	}
	meter.cursors = []
	return { ...meter.counts }
}

/**
 * `sql` whose statements are metered while the meter is on; `sql` itself unless the
 * meter is installed, so production statements take no detour.
 */
export function meteredSql(sql: SqlStorage): SqlStorage {
	if (!meter.installed) return sql
	const exec = <T extends Record<string, SqlStorageValue>>(
		query: string,
		...bindings: unknown[]
	): SqlStorageCursor<T> => {
		const cursor = sql.exec<T>(query, ...bindings)
		if (meter.enabled)
			meter.cursors.push({
				query,
				cursor: cursor as unknown as SqlStorageCursor<Record<string, SqlStorageValue>>,
			})
		return cursor
	}
	return new Proxy(sql, {
		get: (target, key) => (key === 'exec' ? exec : Reflect.get(target, key, target)),
	})
}

const meteredEnvs = new WeakMap<Env, Env>()

/**
 * `env` with its billed bindings counted while the meter is on (the same `env`, untouched,
 * unless the meter is installed). One wrapper per `env`, so that nothing keyed by it
 * behaves differently under the meter.
 */
export function meteredEnv(env: Env): Env {
	if (!meter.installed) return env
	const known = meteredEnvs.get(env)
	if (known) return known
	const wrapped: Env = {
		...env,
		STORE: countCalls(env.STORE, {
			put: 'r2ClassA',
			list: 'r2ClassA',
			get: 'r2ClassB',
			head: 'r2ClassB',
		}),
		EXECUTIONS: countedQueue(env.EXECUTIONS),
		ENDPOINT: stubsCounted(env.ENDPOINT),
		REGISTRY: stubsCounted(env.REGISTRY),
	}
	meteredEnvs.set(env, wrapped)
	return wrapped
}

function countedQueue<T>(queue: Queue<T>): Queue<T> {
	return {
		send: (body, options) => {
			count('queueOps', 1, 'send')
			return queue.send(body, options)
		},
		sendBatch: (messages, options) => {
			const list = [...messages]
			count('queueOps', list.length, 'send')
			return queue.sendBatch(list, options)
		},
	} as Queue<T>
}

function countCalls<T extends object>(target: T, kinds: Record<string, keyof CostCounts>): T {
	return new Proxy(target, {
		get(t, key) {
			const value = Reflect.get(t, key, t)
			const kind = typeof key === 'string' ? kinds[key] : undefined
			if (!kind || typeof value !== 'function') return value
			return (...args: unknown[]) => {
				count(kind, 1, key as string)
				return Reflect.apply(value as (...a: unknown[]) => unknown, t, args)
			}
		},
	})
}

/** A namespace whose stubs count every RPC call as a Durable Object request. */
function stubsCounted<T extends object>(ns: T): T {
	return new Proxy(ns, {
		get(t, key) {
			const value = Reflect.get(t, key, t)
			if (key !== 'get' && key !== 'getByName')
				return typeof value === 'function' ? value.bind(t) : value
			return (...args: unknown[]) => {
				const stub = Reflect.apply(value as (...a: unknown[]) => object, t, args)
				return new Proxy(stub, {
					get(s, method) {
						const fn = Reflect.get(s, method, s)
						if (typeof fn !== 'function' || typeof method !== 'string') return fn
						return (...callArgs: unknown[]) => {
							count('doRequests', 1, method)
							// Reflect.apply: `fn.apply` on an RPC stub would be a call of a remote method 'apply'.
							return Reflect.apply(fn as (...a: unknown[]) => unknown, s, callArgs)
						}
					},
				})
			}
		},
	})
}

/**
 * Queue messages whose delivery (a read) and ack (a delete) are counted; a retried
 * message is read again on its next delivery.
 */
export function meteredMessages<T>(messages: readonly Message<T>[]): readonly Message<T>[] {
	if (!meter.installed) return messages
	count('queueOps', messages.length, 'delivery')
	return messages.map((m) => ({
		id: m.id,
		timestamp: m.timestamp,
		body: m.body,
		attempts: m.attempts,
		ack: () => {
			count('queueOps', 1, 'ack')
			m.ack()
		},
		retry: (options?: QueueRetryOptions) => m.retry(options),
	}))
}
