/**
 * Worker entry: the HTTP app, the queue consumer, and the Durable Object classes.
 * @module
 */
import { createApp } from './app'
import type { Env } from './env'
import { handleBatch } from './execution/consumer'
import type { QueueMessage } from './execution/message'

export { EndpointDO } from './endpoint/endpoint-do'
export { RegistryDO } from './registry/registry-do'

const app = createApp()

export default {
	fetch: app.fetch,
	async queue(batch, env, _ctx) {
		await handleBatch(batch, env)
	},
} satisfies ExportedHandler<Env, QueueMessage>
