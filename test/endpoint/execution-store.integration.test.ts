/**
 * The execution store's cheap paths, on a Durable Object's real SQLite: a start writes
 * nothing until the flow runs long enough to renew its lease, and unfinished rows are
 * found from a watermark rather than an index every insert would pay for.
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ExecutionStore } from '../../src/endpoint/execution-store'
import { LiveLeases } from '../../src/endpoint/live-leases'
import { EXECUTION_RETENTION_MS, LEASE_GRACE_MS, UNFINISHED_PERSIST_EVERY } from '../../src/limits'
import { insert } from './collaborators'

const NOW = Date.now()

/** `sql` whose statements' rows written are added up in `written.n`. */
function counted(sql: SqlStorage) {
	const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = []
	const wrapped = new Proxy(sql, {
		get: (target, key) =>
			key === 'exec'
				? (query: string, ...bindings: unknown[]) => {
						const cursor = target.exec(query, ...bindings)
						cursors.push(cursor)
						return cursor
					}
				: Reflect.get(target, key, target),
	})
	const written = () => cursors.reduce((n, c) => n + c.rowsWritten, 0)
	return { sql: wrapped, written }
}

function withSql<T>(fn: (sql: SqlStorage) => T | Promise<T>): Promise<T> {
	const stub = env.ENDPOINT.getByName(`store-${crypto.randomUUID()}`)
	return runInDurableObject(stub, (_i, state) => fn(state.storage.sql))
}

const outcome = (attempts: number) => ({
	status: 'succeeded' as const,
	error: null,
	steps: '[]',
	logs: '[]',
	result_type: null,
	result_size: null,
	result_body: null,
	result_expires_at: null,
	finished_at: NOW + 50,
	updated_at: NOW + 50,
	attempt_errors: '[]',
	lease_until: null,
	attempts,
})

describe('ExecutionStore: a start in memory', () => {
	it('writes no row to start; reads running; the outcome writes the start with it', () =>
		withSql((raw) => {
			const { sql, written } = counted(raw)
			const store = new ExecutionStore(sql)
			insert(store, 1, NOW)
			const before = written()
			store.attempts.begin(1, 1, 'msg-1', NOW + 10, NOW + 60_000, 7)
			expect(written()).toBe(before)
			expect(store.row(1)).toMatchObject({
				status: 'running',
				attempts: 1,
				started_at: NOW + 10,
				lease_holder: 'msg-1',
				integration_version: 7,
			})
			expect(store.list('ep', { status: 'running', limit: 10 }).map((r) => r.seq)).toEqual([1])
			expect(store.list('ep', { status: 'queued', limit: 10 })).toEqual([])
			store.attempts.complete(1, outcome(1))
			expect(written()).toBe(before + 1)
			// What a fresh incarnation reads: everything the start kept in memory.
			expect(new ExecutionStore(raw).row(1)).toMatchObject({
				status: 'succeeded',
				attempts: 1,
				started_at: NOW + 10,
				lease_holder: null,
				integration_version: 7,
			})
		}))

	it('a renewal makes the lease durable; an unrenewed start does not outlive a restart', () =>
		withSql((raw) => {
			const store = new ExecutionStore(raw)
			insert(store, 1, NOW)
			insert(store, 2, NOW)
			store.attempts.begin(1, 1, 'long', NOW, NOW + 60_000, null)
			store.attempts.begin(2, 1, 'short', NOW, NOW + 60_000, null)
			expect(store.attempts.renewLease(1, 'someone-else', NOW + 80_000)).toBe(false)
			expect(store.attempts.renewLease(1, 'long', NOW + 80_000)).toBe(true)
			const restarted = new ExecutionStore(raw, new LiveLeases())
			expect(restarted.row(1)).toMatchObject({
				status: 'running',
				attempts: 1,
				lease_holder: 'long',
				lease_until: NOW + 80_000,
			})
			// The short flow's row is queued again, with the deadline it was recorded with.
			expect(restarted.row(2)).toMatchObject({ status: 'queued', lease_until: NOW + 60_000 })
			// The long flow's runner goes on renewing its durable lease after the restart.
			expect(restarted.attempts.renewLease(1, 'long', NOW + 100_000)).toBe(true)
		}))

	it('the backstop sees a lease in memory: overdue only once it lapsed past the grace', () =>
		withSql((raw) => {
			const store = new ExecutionStore(raw)
			insert(store, 1, NOW - 120_000)
			store.attempts.begin(1, 1, 'msg', NOW - 10_000, NOW + 50_000, null)
			// The row's own deadline (received + 60 s) has passed; the live lease has not.
			expect(store.unfinished.overdue(NOW, 10)).toEqual([])
			expect(store.unfinished.nextDeadline()).toBe(NOW + 50_000 + LEASE_GRACE_MS)
			store.leases.lapse()
			expect(store.unfinished.overdue(NOW, 10)).toMatchObject([{ seq: 1, status: 'running' }])
		}))
})

describe('ExecutionStore: a quick retry in memory', () => {
	const retrying = (attempts: number, retryInMs: number, error: string) => ({
		...outcome(attempts),
		status: 'retrying' as const,
		error,
		finished_at: undefined,
		attempt_errors: JSON.stringify([{ attempt: attempts, error }]),
		lease_until: NOW + retryInMs + 60_000,
		updated_at: NOW,
	})

	it('keeps a retry due within a minute in memory, and writes it with the outcome after it', () =>
		withSql((raw) => {
			const { sql, written } = counted(raw)
			const store = new ExecutionStore(sql)
			insert(store, 1, NOW)
			const before = written()
			store.attempts.begin(1, 1, 'm1', NOW, NOW + 60_000, null)
			store.attempts.complete(1, retrying(1, 2_000, 'first try failed'))
			expect(written()).toBe(before)
			expect(store.row(1)).toMatchObject({
				status: 'retrying',
				attempts: 1,
				error: 'first try failed',
			})
			expect(store.list('ep', { status: 'retrying', limit: 5 }).map((r) => r.seq)).toEqual([1])
			store.attempts.begin(1, 2, 'm1', NOW + 2_000, NOW + 62_000, null)
			expect(store.row(1)).toMatchObject({ status: 'running', attempts: 2, started_at: NOW })
			store.attempts.complete(1, {
				...outcome(2),
				attempt_errors: store.row(1)?.attempt_errors ?? '',
			})
			expect(written()).toBe(before + 1)
			expect(new ExecutionStore(raw).row(1)).toMatchObject({
				status: 'succeeded',
				attempts: 2,
				started_at: NOW,
				attempt_errors: JSON.stringify([{ attempt: 1, error: 'first try failed' }]),
			})
		}))

	it('writes a retry due later at once: a restart must not run it before its delay', () =>
		withSql((raw) => {
			const store = new ExecutionStore(raw)
			insert(store, 1, NOW)
			store.attempts.begin(1, 1, 'm1', NOW, NOW + 60_000, null)
			store.attempts.complete(1, retrying(1, 10 * 60_000, 'down for a while'))
			expect(new ExecutionStore(raw).row(1)).toMatchObject({
				status: 'retrying',
				attempts: 1,
				lease_until: NOW + 11 * 60_000,
			})
		}))
})

describe('ExecutionStore: unfinished rows from a watermark', () => {
	it('moves past finished rows, and persists only every UNFINISHED_PERSIST_EVERY seqs', () =>
		withSql((raw) => {
			const { sql, written } = counted(raw)
			const store = new ExecutionStore(sql)
			const n = UNFINISHED_PERSIST_EVERY + 10
			for (let seq = 1; seq <= n; seq++) insert(store, seq, NOW - 120_000)
			for (let seq = 1; seq <= 5; seq++) store.attempts.complete(seq, outcome(1))
			let before = written()
			store.unfinished.advance()
			// Moved to 6, not persisted: a restart reads from 0 again, and still finds 6.
			expect(written()).toBe(before)
			expect(store.unfinished.overdue(NOW, 1)).toMatchObject([{ seq: 6 }])
			for (let seq = 6; seq <= n - 3; seq++) store.attempts.complete(seq, outcome(1))
			before = written()
			store.unfinished.advance()
			// Persisted (the meta row, and its key's index entry the first time).
			expect(written()).toBe(before + 2)
			const restarted = new ExecutionStore(raw)
			expect(restarted.unfinished.overdue(NOW, 10).map((r) => r.seq)).toEqual([n - 2, n - 1, n])
			expect(restarted.list('ep', { status: 'queued', limit: 2 }).map((r) => r.seq)).toEqual([
				n,
				n - 1,
			])
			for (let seq = n - 2; seq <= n; seq++) restarted.attempts.complete(seq, outcome(1))
			restarted.unfinished.advance()
			expect(restarted.unfinished.overdue(NOW, 10)).toEqual([])
			expect(restarted.unfinished.nextDeadline()).toBeNull()
			// A row recorded after the watermark passed everything is found.
			insert(restarted, n + 1, NOW - 120_000)
			expect(restarted.unfinished.overdue(NOW, 10).map((r) => r.seq)).toEqual([n + 1])
		}))
})

describe('ExecutionStore: retention by recycling', () => {
	it('a new execution takes the oldest expired row: one row written, nothing of the old one left', () =>
		withSql(async (raw) => {
			const { sql, written } = counted(raw)
			const store = new ExecutionStore(sql)
			const long = NOW - EXECUTION_RETENTION_MS - 1_000
			insert(store, 1, long - 100)
			store.attempts.begin(1, 1, 'msg', long - 90, long + 60_000, 3)
			store.attempts.complete(1, {
				...outcome(1),
				status: 'failed',
				error: 'boom',
				steps: '[{"name":"x"}]',
				result_body: new Uint8Array([1, 2, 3]),
				result_type: 'text/plain',
				result_size: 3,
				result_expires_at: long,
				finished_at: long,
				attempt_errors: '[{"attempt":1}]',
			})
			store.attempts.countRedrive(1, 2)
			const before = written()
			insert(store, 2, NOW)
			expect(written() - before).toBe(1)
			expect(raw.exec('SELECT seq FROM executions').toArray()).toEqual([{ seq: 2 }])
			// The same row a fresh object records for the same execution, column for column.
			const stub = env.ENDPOINT.getByName(`store-${crypto.randomUUID()}`)
			const fresh = await runInDurableObject(stub, (_i, state) => {
				insert(new ExecutionStore(state.storage.sql), 2, NOW)
				return state.storage.sql.exec('SELECT * FROM executions').toArray()
			})
			expect(raw.exec('SELECT * FROM executions').toArray()).toEqual(fresh)
		}))

	it('does not take a record still within retention, nor one unfinished', () =>
		withSql((raw) => {
			const store = new ExecutionStore(raw)
			insert(store, 1, NOW - EXECUTION_RETENTION_MS - 1_000)
			insert(store, 2, NOW)
			expect(raw.exec('SELECT seq FROM executions').toArray()).toEqual([{ seq: 1 }, { seq: 2 }])
			store.attempts.complete(1, { ...outcome(1), finished_at: NOW - 1_000 })
			insert(store, 3, NOW)
			expect(raw.exec('SELECT seq FROM executions').toArray()).toHaveLength(3)
		}))
})
