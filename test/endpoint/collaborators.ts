/**
 * Shared pieces for testing the EndpointDO's collaborators alone, on a Durable Object's
 * real SQLite (the object itself is never configured or called).
 */
import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import type { ExecutionOrigin } from '../../src/endpoint/execution-store'
import { ExecutionStore } from '../../src/endpoint/execution-store'
import { executionMessage } from '../../src/endpoint/hand-off'
import { Outbox } from '../../src/endpoint/outbox'
import type { ExecutionMessage, QueueMessage, RequestEnvelope } from '../../src/execution/message'

export const ENDPOINT = 'ep'

export const request = (n: number): RequestEnvelope => ({
	method: 'POST',
	url: `https://gateway.test/trigger/${ENDPOINT}`,
	pathFragment: '',
	headers: [['content-type', 'application/json']],
	contentType: 'application/json',
	body: { inline: new TextEncoder().encode(JSON.stringify({ n })) },
	receivedAt: 0,
})

export const message = (seq: number, req: RequestEnvelope, receivedAt: number): ExecutionMessage =>
	executionMessage(ENDPOINT, seq, req, receivedAt)

const origin = (lane: string | null): ExecutionOrigin => ({
	source: 'trigger',
	sync: false,
	deliveryId: null,
	lane,
	replayOf: null,
	instanceId: 'inst',
	flow: 'echo',
	integrationVersion: null,
})

/** Records execution `seq` as the accept path would (row only; no outbox entry). */
export function insert(
	store: ExecutionStore,
	seq: number,
	now: number,
	lane: string | null = null,
) {
	store.insert({
		...origin(lane),
		seq,
		now,
		deadline: now + 60_000,
		resultToken: `tok-${seq}`,
		request: request(seq),
	})
}

/** A queue that records what it is sent, and refuses while `refuse` is set. */
export function fakeQueue() {
	const sent: ExecutionMessage[] = []
	const state = { refuse: false }
	const queue = {
		async send(m: ExecutionMessage) {
			if (state.refuse) throw new Error('queue down')
			sent.push(m)
		},
		async sendBatch(ms: Array<{ body: ExecutionMessage }>) {
			if (state.refuse) throw new Error('queue down')
			sent.push(...ms.map((m) => m.body))
		},
	}
	return { queue: queue as unknown as Queue<QueueMessage>, sent, state }
}

/** Runs `fn` with a fresh object's SQLite, its execution store and its outbox. */
export function withStorage<T>(
	fn: (s: { sql: SqlStorage; store: ExecutionStore; outbox: Outbox }) => Promise<T> | T,
): Promise<T> {
	const stub = env.ENDPOINT.getByName(`collaborators-${crypto.randomUUID()}`)
	return runInDurableObject(stub, (_i, state) => {
		const sql = state.storage.sql
		const store = new ExecutionStore(sql)
		return fn({ sql, store, outbox: new Outbox(store, () => ENDPOINT) })
	})
}
