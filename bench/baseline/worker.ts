/**
 * The baseline every scenario is compared with: a bare Hono Worker on the same workerd
 * that does the least a webhook receiver can do, read the whole body and answer a small
 * JSON. Whatever the gateway costs beyond this is auth, the Durable Object round trip,
 * storage and the queue.
 * @module
 */
import { Hono } from 'hono'

const app = new Hono()

app.all('*', async (c) => {
	// Reading the body matters: an unread body is never pulled off the socket, which would
	// flatter the baseline on the 10 MB scenario.
	const body = await c.req.arrayBuffer()
	return c.json({ ok: true, bytes: body.byteLength })
})

export default app
