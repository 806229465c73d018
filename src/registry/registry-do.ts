/**
 * RegistryDO: the single owner of instances (which integration, which config, which
 * endpoints, what their lifecycle hooks did). Off the hot path: trigger requests never
 * touch it; endpoints keep the copy of an instance they need.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { EndpointMode } from '../endpoint/config'
import type { Env } from '../env'
import type { JsonObject } from '../lib/json'

export interface HookStatus {
	status: 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed'
	attempts: number
	error?: string
	updatedAt: string
}

export interface InstanceRecord {
	id: string
	integration: string
	name: string
	/** Shared endpoints route to this instance by this key. */
	routingKey: string
	config: JsonObject
	endpointMode: EndpointMode
	endpoints: Array<{ id: string; flow: string }>
	webhookUrls: Record<string, string>
	webhookApiKeys: Record<string, string[]>
	/** What onInstanceDeploy returned. */
	state: JsonObject
	lifecycle: { deploy?: HookStatus; remove?: HookStatus }
	createdAt: string
	deletedAt: string | null
}

/** The registry's RPC surface (see endpoint/api.ts for why it is spelled out). */
export interface RegistryApi {
	putInstance(record: InstanceRecord): Promise<void>
	getInstance(id: string): Promise<InstanceRecord | null>
	deleteInstance(id: string): Promise<InstanceRecord | null>
	listInstances(): Promise<InstanceRecord[]>
	listEndpointIds(instanceId?: string): Promise<string[]>
	sharedEndpoint(integration: string): Promise<string | null>
	setSharedEndpoint(integration: string, endpointId: string): Promise<string>
	recordHook(
		id: string,
		hook: 'deploy' | 'remove',
		status: HookStatus,
		state?: JsonObject,
	): Promise<InstanceRecord | null>
}

export class RegistryDO extends DurableObject<Env> implements RegistryApi {
	#sql: SqlStorage

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env)
		this.#sql = ctx.storage.sql
		this.#sql.exec(
			`CREATE TABLE IF NOT EXISTS instances (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, record TEXT NOT NULL);
			 CREATE TABLE IF NOT EXISTS endpoints (id TEXT NOT NULL, instance_id TEXT NOT NULL, flow TEXT NOT NULL, PRIMARY KEY (id, instance_id));
			 CREATE TABLE IF NOT EXISTS shared_endpoints (integration TEXT PRIMARY KEY, endpoint_id TEXT NOT NULL);`,
		)
	}

	async putInstance(record: InstanceRecord): Promise<void> {
		this.#sql.exec(
			'INSERT OR REPLACE INTO instances (id, created_at, deleted, record) VALUES (?, ?, ?, ?)',
			record.id,
			record.createdAt,
			record.deletedAt ? 1 : 0,
			JSON.stringify(record),
		)
		for (const ep of record.endpoints) {
			this.#sql.exec(
				'INSERT OR REPLACE INTO endpoints (id, instance_id, flow) VALUES (?, ?, ?)',
				ep.id,
				record.id,
				ep.flow,
			)
		}
	}

	async getInstance(id: string): Promise<InstanceRecord | null> {
		const row = this.#sql
			.exec<{ record: string }>('SELECT record FROM instances WHERE id = ?', id)
			.toArray()[0]
		return row ? (JSON.parse(row.record) as InstanceRecord) : null
	}

	/** Marks the instance deleted and returns it, or null if it was unknown or already gone. */
	async deleteInstance(id: string): Promise<InstanceRecord | null> {
		const record = await this.getInstance(id)
		if (!record || record.deletedAt) return null
		const deleted = { ...record, deletedAt: new Date().toISOString() }
		await this.putInstance(deleted)
		return deleted
	}

	async listInstances(): Promise<InstanceRecord[]> {
		return this.#sql
			.exec<{ record: string }>(
				'SELECT record FROM instances WHERE deleted = 0 ORDER BY created_at DESC',
			)
			.toArray()
			.map((r) => JSON.parse(r.record) as InstanceRecord)
	}

	/** Endpoint ids, optionally of one instance: the fan-out set for execution listings. */
	async listEndpointIds(instanceId?: string): Promise<string[]> {
		const rows = instanceId
			? this.#sql.exec<{ id: string }>(
					'SELECT DISTINCT id FROM endpoints WHERE instance_id = ? ORDER BY id',
					instanceId,
				)
			: this.#sql.exec<{ id: string }>('SELECT DISTINCT id FROM endpoints ORDER BY id')
		return rows.toArray().map((r) => r.id)
	}

	async sharedEndpoint(integration: string): Promise<string | null> {
		return (
			this.#sql
				.exec<{ endpoint_id: string }>(
					'SELECT endpoint_id FROM shared_endpoints WHERE integration = ?',
					integration,
				)
				.toArray()[0]?.endpoint_id ?? null
		)
	}

	/** Records the integration's shared endpoint; the first writer wins, and gets its id back. */
	async setSharedEndpoint(integration: string, endpointId: string): Promise<string> {
		this.#sql.exec(
			'INSERT OR IGNORE INTO shared_endpoints (integration, endpoint_id) VALUES (?, ?)',
			integration,
			endpointId,
		)
		return (await this.sharedEndpoint(integration)) as string
	}

	async recordHook(
		id: string,
		hook: 'deploy' | 'remove',
		status: HookStatus,
		state?: JsonObject,
	): Promise<InstanceRecord | null> {
		const record = await this.getInstance(id)
		if (!record) return null
		const next: InstanceRecord = {
			...record,
			lifecycle: { ...record.lifecycle, [hook]: status },
			...(state ? { state } : {}),
		}
		await this.putInstance(next)
		return next
	}
}

export function registryStub(env: Env): RegistryApi {
	return env.REGISTRY.getByName('registry') as unknown as RegistryApi
}
