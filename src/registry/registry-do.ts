/**
 * RegistryDO: the single owner of instances (which integration, which config, which
 * endpoints). Off the hot path: trigger requests never touch it.
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import type { JsonObject } from '../lib/json'

export type EndpointMode = 'instance-flow' | 'instance' | 'shared'

export interface InstanceRecord {
	id: string
	integration: string
	name: string
	config: JsonObject
	endpointMode: EndpointMode
	endpoints: Array<{ id: string; flow: string }>
	webhookUrls: Record<string, string>
	createdAt: string
	deletedAt: string | null
}

export class RegistryDO extends DurableObject<Env> implements RegistryApi {
	#sql: SqlStorage

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env)
		this.#sql = ctx.storage.sql
		this.#sql.exec(
			`CREATE TABLE IF NOT EXISTS instances (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, record TEXT NOT NULL);
			 CREATE TABLE IF NOT EXISTS endpoints (id TEXT PRIMARY KEY, instance_id TEXT NOT NULL, flow TEXT NOT NULL);`,
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
					'SELECT id FROM endpoints WHERE instance_id = ? ORDER BY id',
					instanceId,
				)
			: this.#sql.exec<{ id: string }>('SELECT id FROM endpoints ORDER BY id')
		return rows.toArray().map((r) => r.id)
	}
}

/** The registry's RPC surface (see endpoint/stub.ts for why it is spelled out). */
export interface RegistryApi {
	putInstance(record: InstanceRecord): Promise<void>
	getInstance(id: string): Promise<InstanceRecord | null>
	deleteInstance(id: string): Promise<InstanceRecord | null>
	listInstances(): Promise<InstanceRecord[]>
	listEndpointIds(instanceId?: string): Promise<string[]>
}

export function registryStub(env: Env): RegistryApi {
	return env.REGISTRY.getByName('registry') as unknown as RegistryApi
}
