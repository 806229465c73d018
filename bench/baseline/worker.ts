/**
 * The baseline every scenario is compared with: a bare Hono Worker on the same workerd
 * that does the least a webhook receiver can do, read the whole body and answer a small
 * JSON. Whatever the gateway costs beyond this is auth, the Durable Object round trip,
 * storage and the queue.
 *
 * It also carries the "naive" design the issue names as its reference point, under
 * `/naive/:id`: one awaited Durable Object storage write and one awaited queue send per
 * request, and a consumer that only acknowledges. No auth, no dedupe, no rate window, no
 * flows, no archive. The `naive` scenario measures it against the bare route in the same
 * run, so the gateway's accept ratio can be read next to it. `/roundtrip/:id` is the
 * Durable Object round trip alone (the body sent to the object, nothing stored or
 * queued): what any design that admits each request in a DO pays before its answer.
 * `/enqueue/:id` is one awaited queue send alone, the other durable hand-off there is.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import { Hono } from 'hono'

interface Env {
	NAIVE: DurableObjectNamespace<NaiveStore>
	NAIVE_QUEUE: Queue<{ id: string; seq: number }>
}

export class NaiveStore extends DurableObject<Env> {
	#seq: number

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env)
		ctx.storage.sql.exec(
			'CREATE TABLE IF NOT EXISTS requests (seq INTEGER PRIMARY KEY, received_at INTEGER, body BLOB)',
		)
		this.#seq =
			ctx.storage.sql.exec<{ n: number | null }>('SELECT MAX(seq) AS n FROM requests').one().n ?? 0
	}

	/** The DO round trip alone: the request reaches the object, nothing is stored or sent. */
	async touch(body: ArrayBuffer): Promise<number> {
		return body.byteLength
	}

	async record(body: ArrayBuffer): Promise<number> {
		const seq = ++this.#seq
		this.ctx.storage.sql.exec(
			'INSERT INTO requests (seq, received_at, body) VALUES (?, ?, ?)',
			seq,
			Date.now(),
			body,
		)
		return seq
	}
}

const app = new Hono<{ Bindings: Env }>()

app.post('/naive/:id', async (c) => {
	const id = c.req.param('id')
	const body = await c.req.arrayBuffer()
	const seq = await c.env.NAIVE.getByName(id).record(body)
	await c.env.NAIVE_QUEUE.send({ id, seq })
	return c.json({ ok: true, seq })
})

// The floor of any design that admits each request in a Durable Object before answering.
app.post('/roundtrip/:id', async (c) => {
	const body = await c.req.arrayBuffer()
	const bytes = await c.env.NAIVE.getByName(c.req.param('id')).touch(body)
	return c.json({ ok: true, bytes })
})

// The floor of any design that answers once the request is in a queue, with no DO at all.
app.post('/enqueue/:id', async (c) => {
	const body = await c.req.arrayBuffer()
	await c.env.NAIVE_QUEUE.send({ id: c.req.param('id'), seq: body.byteLength })
	return c.json({ ok: true })
})

app.all('*', async (c) => {
	// Reading the body matters: an unread body is never pulled off the socket, which would
	// flatter the baseline on the 10 MB scenario.
	const body = await c.req.arrayBuffer()
	return c.json({ ok: true, bytes: body.byteLength })
})

export default {
	fetch: app.fetch,
	async queue(batch: MessageBatch) {
		batch.ackAll()
	},
} satisfies ExportedHandler<Env>
