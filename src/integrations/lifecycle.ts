/**
 * Runs an integration's instance lifecycle hooks from the queue, so they are retried
 * with backoff like executions and their outcome is recorded on the instance.
 * @module
 */
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import type { LifecycleMessage } from '../execution/message'
import { resolvePolicy, retryDelaySeconds } from '../execution/retry-policy'
import { recordedFetch } from '../execution/run-flow'
import { describe } from '../lib/errors'
import type { JsonObject } from '../lib/json'
import { type LogLevel, log } from '../lib/log'
import { registryStub } from '../registry/registry-do'
import type { FlowLogger, InstanceContext } from './define'
import { getIntegration } from './registry'

const HOOK_POLICY = resolvePolicy({ attempts: 3 })

function hookLogger(instanceId: string, hook: string): FlowLogger {
	const line = (level: LogLevel) => (message: string) => log(level, message, { instanceId, hook })
	return { info: line('info'), warn: line('warn'), error: line('error') }
}

export async function handleLifecycle(message: Message<LifecycleMessage>, env: Env): Promise<void> {
	const { hook, instanceId } = message.body
	const registry = registryStub(env)
	const now = () => new Date().toISOString()
	try {
		const record = await registry.getInstance(instanceId)
		const integration = record ? getIntegration(record.integration) : undefined
		if (!record || !integration) {
			message.ack()
			return
		}
		const previous = record.lifecycle[hook]
		if (previous?.status === 'succeeded' || previous?.status === 'failed') {
			message.ack()
			return
		}
		// A deploy hook of an instance deleted in the meantime has nothing left to set up.
		if (hook === 'deploy' && record.deletedAt) {
			message.ack()
			return
		}
		const attempts = (previous?.attempts ?? 0) + 1
		await registry.recordHook(instanceId, hook, { status: 'running', attempts, updatedAt: now() })
		const context: InstanceContext = {
			instance: { id: record.id, name: record.name },
			config: record.config,
			webhookUrls: record.webhookUrls,
			webhookApiKeys: record.webhookApiKeys,
			instanceState: record.state,
			log: hookLogger(instanceId, hook),
			fetch: recordedFetch(async (_name, fn) => fn()),
		}
		try {
			if (hook === 'deploy') {
				const state: JsonObject = (await integration.onInstanceDeploy?.(context)) ?? {}
				const updated = await registry.recordHook(
					instanceId,
					hook,
					{ status: 'succeeded', attempts, updatedAt: now() },
					state,
				)
				// Endpoints keep their own copy of the instance; give them the new state.
				if (updated) {
					const ids = new Set(updated.endpoints.map((e) => e.id))
					await Promise.all(
						[...ids].map((id) => endpointStub(env, id).setInstanceState(updated.id, state)),
					)
				}
			} else {
				await integration.onInstanceRemove?.(context)
				await registry.recordHook(instanceId, hook, {
					status: 'succeeded',
					attempts,
					updatedAt: now(),
				})
			}
			message.ack()
		} catch (err) {
			const error = describe(err)
			if (attempts < HOOK_POLICY.attempts) {
				await registry.recordHook(instanceId, hook, {
					status: 'retrying',
					attempts,
					error,
					updatedAt: now(),
				})
				message.retry({ delaySeconds: retryDelaySeconds(HOOK_POLICY, attempts) })
			} else {
				await registry.recordHook(instanceId, hook, {
					status: 'failed',
					attempts,
					error,
					updatedAt: now(),
				})
				message.ack()
			}
		}
	} catch (err) {
		log('error', 'lifecycle hook could not run', { instanceId, hook, error: describe(err) })
		message.retry({ delaySeconds: 10 })
	}
}
