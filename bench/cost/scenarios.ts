/**
 * What one webhook costs over its whole life, counted by the cost meter (src/lib/meter.ts)
 * while real traffic goes through the Worker, its Durable Objects, the queue and R2 in
 * workerd. Each scenario uses fresh endpoints, sends `n` webhooks of about 1 KB of JSON,
 * waits until every execution has finished ("live"), then moves the endpoint's clock
 * on and lets the registry's retention round and the endpoint's alarm do the deferred
 * work ("later").
 *
 * Traffic is steady unless a scenario says otherwise: the endpoint already holds the
 * records of the same traffic a month ago, just past retention, and each new execution
 * takes one's row (retention paid inside the insert); "later" moves the clock a month on
 * again, where next month's traffic takes these records' rows in turn. The "last month"
 * scenario has no such history and no traffic after it: its records are deleted at
 * retention, a row each. Time is moved by rewriting the rows' timestamps outside the
 * meter, so the deferred work is done in as few alarm runs as possible: a lower bound of
 * the wakes it takes in real time.
 * @module
 */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { endpointStub } from '../../src/endpoint/stub'
import {
	type CostCounts,
	count,
	installMeter,
	snapshot,
	sources,
	startMetering,
} from '../../src/lib/meter'
import {
	EXECUTION_RETENTION_MS,
	REDRIVE_AFTER_MS,
	RETENTION_RECYCLE_SLACK_MS,
} from '../../src/limits'
import { admin, call, patchEndpoint } from '../../test/helpers'
import { add, dollarsPerMillion, type OperationCounts, perWebhook } from './pricing'

export interface ScenarioResult extends OperationCounts {
	scenario: string
	webhooks: number
	/** Of `rowsWritten`: `setAlarm` calls. */
	alarmsSet: number
	/** Per webhook, while it was handled. */
	live: OperationCounts
	/** Per webhook, the deferred work (expiry, dedupe window, retention). */
	later: OperationCounts
	/** Per webhook, where the counts come from (statements, RPC methods, R2 calls). */
	sources: Record<string, number>
	dollarsPerMillion: number
}

const DAY_MS = 24 * 60 * 60 * 1000

// Before any Durable Object of the run exists: they keep the bindings they are given.
installMeter()

/** About 1 KB of JSON, different for each webhook. */
export function webhookBody(i: number): string {
	return JSON.stringify({
		id: `evt_${i}`,
		type: 'order.created',
		created: 1_765_000_000 + i,
		data: { order: { id: i, customer: 'cus_123', total: 4200, note: 'x'.repeat(880) } },
	})
}

const JSON_HEADERS = { 'content-type': 'application/json' }

function send(endpointId: string, i: number, headers: Record<string, string> = {}) {
	return call(`/trigger/${endpointId}`, {
		method: 'POST',
		body: webhookBody(i),
		headers: { ...JSON_HEADERS, ...headers },
	})
}

/** Counts the endpoint's finished executions of today (not its history) without a metered call. */
async function finished(endpointId: string): Promise<number> {
	return runInDurableObject(
		env.ENDPOINT.getByName(endpointId),
		(_d, state) =>
			state.storage.sql
				.exec<{ n: number }>(
					"SELECT COUNT(*) AS n FROM executions WHERE status IN ('succeeded', 'failed') AND received_at > ?",
					Date.now() - DAY_MS,
				)
				.one().n,
	)
}

async function untilFinished(endpointId: string, n: number, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while ((await finished(endpointId)) < n) {
		if (Date.now() > deadline) throw new Error(`${endpointId}: executions did not finish`)
		await new Promise((r) => setTimeout(r, 20))
	}
	// Let the last completion reports and acks land.
	await new Promise((r) => setTimeout(r, 100))
}

/** Runs the endpoint's alarm now, if one is set. */
async function runAlarm(endpointId: string): Promise<boolean> {
	return runDurableObjectAlarm(env.ENDPOINT.getByName(endpointId))
}

/**
 * A month and a minute: records are just past retention, within the slack in which a new
 * execution takes their row before the alarm would delete them.
 */
const A_MONTH_ON = EXECUTION_RETENTION_MS + 60_000
/** Past retention and its slack: the alarm deletes what no new execution took. */
const PAST_THE_SLACK = EXECUTION_RETENTION_MS + RETENTION_RECYCLE_SLACK_MS + DAY_MS

/** Moves the endpoint's records `shift` ms into the past (nothing metered). */
async function age(endpointId: string, shift: number): Promise<void> {
	await runInDurableObject(env.ENDPOINT.getByName(endpointId), (_d, state) => {
		state.storage.sql.exec(
			`UPDATE executions SET received_at = received_at - ?1, finished_at = finished_at - ?1,
			   updated_at = updated_at - ?1, result_expires_at = result_expires_at - ?1`,
			shift,
		)
	})
}

/** Runs the endpoint's alarm while the next one is due within `ms`. */
async function runAlarmsDueWithin(endpointId: string, ms: number): Promise<void> {
	const stub = env.ENDPOINT.getByName(endpointId)
	for (let i = 0; i < 50; i++) {
		const next = await runInDurableObject(stub, (_d, state) => state.storage.getAlarm())
		if (next === null || next > Date.now() + ms) break
		if (!(await runDurableObjectAlarm(stub))) break
	}
}

/**
 * The deferred work: the backstop alarm the last webhooks armed (a minute after them, as
 * in real time; run now, so that it cannot fire during a later scenario), then, `shift`
 * ms on, what the registry's retention round does (one `sweep` call, metered like any DO
 * request) and the alarms a sweep backlog sets. The round's other calls, two a day per
 * endpoint whatever its traffic, are a per-endpoint cost (README, Cost), not a
 * per-webhook one.
 */
async function deferredWork(endpointId: string, shift: number): Promise<void> {
	await runAlarmsDueWithin(endpointId, 2 * REDRIVE_AFTER_MS)
	await age(endpointId, shift)
	await runInDurableObject(env.ENDPOINT.getByName(endpointId), (_d, state) => {
		state.storage.sql.exec('UPDATE deliveries SET received_at = received_at - ?', shift)
	})
	// The registry makes this call in production; counted here as the DO request it is.
	count('doRequests', 1, 'sweep')
	await endpointStub(env, endpointId).sweep()
	await runAlarmsDueWithin(endpointId, 5_000)
}

const operations = (c: CostCounts): OperationCounts => ({
	rowsWritten: c.rowsWritten,
	rowsRead: c.rowsRead,
	doRequests: c.doRequests,
	workerRequests: c.workerRequests,
	queueOps: c.queueOps,
	r2ClassA: c.r2ClassA,
	r2ClassB: c.r2ClassB,
})

interface Scenario {
	name: string
	/** No history and no traffic after: records are deleted at retention (see the module). */
	lastMonth?: boolean
	/** Endpoint setup (not metered). */
	patch?: Record<string, unknown>
	flow?: 'echo' | 'flaky'
	/** Sends webhook `i` and does what its sender would with the answer. */
	run(endpointId: string, n: number): Promise<void>
}

/** Waves of 20 concurrent senders: webhooks close together. */
async function burst(n: number, one: (i: number) => Promise<Response>): Promise<void> {
	for (let i = 0; i < n; i += 20) {
		const wave = Array.from({ length: Math.min(20, n - i) }, (_, k) => one(i + k))
		for (const res of await Promise.all(wave)) {
			if (res.status !== 200 && res.status !== 303) throw new Error(`status ${res.status}`)
			await res.arrayBuffer()
		}
	}
}

export const SCENARIOS: Scenario[] = [
	{
		name: 'async',
		async run(id, n) {
			await burst(n, (i) => send(id, i))
			await untilFinished(id, n)
		},
	},
	{
		name: "async, an endpoint's last month (no later traffic takes its records' rows)",
		lastMonth: true,
		async run(id, n) {
			await burst(n, (i) => send(id, i))
			await untilFinished(id, n)
		},
	},
	{
		name: 'async, sparse (one at a time, each with its alarm cycle)',
		async run(id, n) {
			for (let i = 0; i < n; i++) {
				const res = await send(id, i)
				if (res.status !== 200) throw new Error(`status ${res.status}`)
				await untilFinished(id, i + 1)
				// More than 10 s pass before the next webhook: its alarm runs in between.
				await runAlarm(id)
			}
		},
	},
	{
		name: 'async with an idempotency-key',
		async run(id, n) {
			await burst(n, (i) => send(id, i, { 'idempotency-key': `evt_${i}` }))
			await untilFinished(id, n)
		},
	},
	{
		name: 'FIFO',
		patch: { fifo: true },
		async run(id, n) {
			await burst(n, (i) => send(id, i))
			await untilFinished(id, n)
		},
	},
	{
		name: 'sync (303, result fetched)',
		async run(id, n) {
			await burst(n, async (i) => {
				const res = await send(id, i, { 'triggerflare-synchronous': 'true' })
				const location = res.headers.get('location')
				if (res.status !== 303 || !location) throw new Error(`sync status ${res.status}`)
				const result = await call(new URL(location).pathname)
				await result.arrayBuffer()
				return res
			})
			await untilFinished(id, n)
		},
	},
	{
		name: 'async, one retry',
		flow: 'flaky',
		async run(id, n) {
			await burst(n, (i) => send(id, i))
			await untilFinished(id, n)
		},
	},
]

/** Runs one scenario with `n` webhooks and returns its counts per webhook. */
export async function runScenario(scenario: Scenario, n: number): Promise<ScenarioResult> {
	const res = await admin('/api/instances', {
		method: 'POST',
		json: { integration: 'examples' },
	})
	const instance = (await res.json()) as { endpoints: Array<{ id: string; flow: string }> }
	const endpointId = instance.endpoints.find((e) => e.flow === (scenario.flow ?? 'echo'))
		?.id as string
	// Above the default 50/s, so that no webhook of a burst is refused.
	await patchEndpoint(endpointId, { rateLimit: { requestsPerSecond: 1000 }, ...scenario.patch })

	if (!scenario.lastMonth) {
		// The same traffic a month ago, unmetered: its records are what this month's take.
		await scenario.run(endpointId, n)
		await runAlarmsDueWithin(endpointId, 2 * REDRIVE_AFTER_MS)
		await age(endpointId, A_MONTH_ON)
	}
	startMetering()
	await scenario.run(endpointId, n)
	const live = snapshot()
	const liveSources = sources()
	startMetering()
	await deferredWork(endpointId, scenario.lastMonth ? PAST_THE_SLACK : A_MONTH_ON)
	const later = snapshot()
	const laterSources = sources()
	startMetering(false)
	const bySource: Record<string, number> = {}
	for (const [phase, list] of [
		['live', liveSources],
		['later', laterSources],
	] as const) {
		for (const [key, value] of Object.entries(list))
			bySource[`${phase} ${key}`] = Math.round((value / n) * 1000) / 1000
	}

	const livePer = perWebhook(operations(live), n)
	const laterPer = perWebhook(operations(later), n)
	const total = add(livePer, laterPer)
	return {
		scenario: scenario.name,
		webhooks: n,
		...total,
		alarmsSet: Math.round(((live.alarmsSet + later.alarmsSet) / n) * 1000) / 1000,
		live: livePer,
		later: laterPer,
		sources: bySource,
		dollarsPerMillion: dollarsPerMillion(total),
	}
}
