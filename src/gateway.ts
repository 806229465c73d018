/**
 * The gateway as a library. A Worker project lists its own integrations and exports what
 * wrangler needs: the handlers and the two Durable Object classes.
 *
 * ```ts
 * import { createGateway } from 'triggerflare'
 * import orders from './orders'
 *
 * export { EndpointDO, RegistryDO } from 'triggerflare'
 * export default createGateway({ integrations: [orders] })
 * ```
 * @module
 */
import { createApp } from './app'
import type { Env } from './env'
import { handleBatch } from './execution/consumer'
import type { QueueMessage } from './execution/message'
import type { IntegrationDefinition } from './integrations/define'
import { registerIntegration } from './integrations/registry'
import { count, meteredEnv, meteredMessages } from './lib/meter'

export { EndpointDO } from './endpoint/endpoint-do'
export type { Env } from './env'
export type { QueueMessage } from './execution/message'
export type { HandshakeConfig } from './handshakes'
export type {
	CodeFlow,
	ConfigOf,
	ConfigVariable,
	EndpointMode,
	FlowAuthDefault,
	FlowContext,
	FlowDefinition,
	FlowFetch,
	FlowLogger,
	FlowResponse,
	InstanceContext,
	InstanceInfo,
	IntegrationDefinition,
	RetryPolicy,
	RouteResult,
	StepsFlow,
	TriggerContext,
	TriggerPayload,
	TriggerResult,
} from './integrations/define'
export { DEFAULT_RETRY_POLICY, defineFlow, defineIntegration } from './integrations/define'
export type { DeclarativeStep } from './integrations/steps'
export { RegistryDO } from './registry/registry-do'

/**
 * An integration with any config type. Config only appears where hooks receive it, so
 * `never` accepts every `defineIntegration` result without a cast at the call site.
 */
export type AnyIntegration = IntegrationDefinition<never>

export interface GatewayOptions {
	/** The code integrations this Worker runs; none is fine (data integrations only). */
	integrations?: readonly AnyIntegration[]
}

/** The Worker's default export. */
export interface Gateway {
	fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>
	queue(batch: MessageBatch<QueueMessage>, env: Env, ctx: ExecutionContext): Promise<void>
}

/**
 * Registers the integrations in this isolate and returns the Worker's handlers. Call it
 * once, at the top level of the Worker's entry module: Durable Objects and the queue
 * consumer run in the same isolate and find the integrations there.
 */
export function createGateway(options: GatewayOptions = {}): Gateway {
	const integrations = options.integrations ?? []
	// Two definitions under one name would make the second silently win.
	const names = integrations.map((integration) => integration.name)
	const twice = names.find((name, i) => names.indexOf(name) !== i)
	if (twice !== undefined) {
		throw new Error(`createGateway: integration "${twice}" is listed twice`)
	}
	for (const integration of integrations) {
		registerIntegration(integration as unknown as IntegrationDefinition)
	}

	const app = createApp()
	return {
		fetch(request, env, ctx) {
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
}
