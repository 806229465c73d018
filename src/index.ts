/**
 * Worker entry: the HTTP app, the queue consumer, and the Durable Object classes.
 * @module
 */
import { createApp } from './app'
import type { Env } from './env'
import { handleBatch } from './execution/consumer'
import type { QueueMessage } from './execution/message'
import { count, meteredEnv, meteredMessages } from './lib/meter'

export { EndpointDO } from './endpoint/endpoint-do'
export { RegistryDO } from './registry/registry-do'

const app = createApp()

export default {
	fetch(request: Request, env: Env, ctx: ExecutionContext) {
		count('workerRequests')
		return app.fetch(request, meteredEnv(env), ctx)
	},
	async queue(batch, env, _ctx) {
		count('workerRequests')
		await handleBatch(
			{ ...batch, queue: batch.queue, messages: meteredMessages(batch.messages) },
			meteredEnv(env),
		)
	},
} satisfies ExportedHandler<Env, QueueMessage>
