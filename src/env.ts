/**
 * The Worker's bindings, as declared in wrangler.toml.
 * @module
 */
import type { EndpointDO } from './endpoint/endpoint-do'
import type { QueueMessage } from './execution/message'
import type { RegistryDO } from './registry/registry-do'

export interface Env {
	ENDPOINT: DurableObjectNamespace<EndpointDO>
	REGISTRY: DurableObjectNamespace<RegistryDO>
	EXECUTIONS: Queue<QueueMessage>
	STORE: R2Bucket
	/** Workers Analytics Engine: one data point per trigger request outcome. */
	METRICS?: AnalyticsEngineDataset
	/** Bearer token for /api; a Worker secret. */
	ADMIN_TOKEN?: string
	RESULT_TTL_SECONDS?: string
	SYNC_WAIT_MS?: string
	PUBLIC_BASE_URL?: string
}
