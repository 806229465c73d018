/**
 * RegistryDO: the single owner of instances (which integration, which config, which
 * endpoints, what their lifecycle hooks did). Off the hot path: trigger requests never
 * touch it; endpoints keep the copy of an instance they need. Its alarm runs the
 * retention round over every endpoint (retention-round.ts).
 * @module
 */
import { DurableObject } from 'cloudflare:workers'
import type { EndpointMode } from '../endpoint/config'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import type { DataIntegrationDefinition } from '../integrations/data/definition'
import type { JsonObject } from '../lib/json'
import { RETENTION_ROUND_MS } from '../limits'
import { roundStep } from './retention-round'

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

/** An integration written through the admin API, as the registry keeps it. */
export interface StoredIntegration {
	name: string
	/** 1 when created; every change adds one. */
	version: number
	definition: DataIntegrationDefinition
	createdAt: string
	updatedAt: string
}

/**
 * What a create or replace did. A replacement may not drop a flow that live instances
 * have endpoints for; `endpoints` are those of live instances, to receive the new version.
 */
export type PutOutcome =
	| { ok: true; integration: StoredIntegration; created: boolean; endpoints: string[] }
	| { ok: false; flowsInUse: string[] }

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
	putIntegration(
		name: string,
		definition: DataIntegrationDefinition,
		now: string,
	): Promise<PutOutcome>
	getIntegration(name: string): Promise<StoredIntegration | null>
	listIntegrations(): Promise<StoredIntegration[]>
	/** Removes it unless an instance that is not deleted uses it. */
	deleteIntegration(name: string): Promise<'deleted' | 'not_found' | 'in_use'>
}

/** Where the retention round goes on from while it takes more than one alarm run. */
const ROUND_CURSOR = 'retention_round_cursor'

export class RegistryDO extends DurableObject<Env> implements RegistryApi {
	#sql: SqlStorage

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env)
		this.#sql = ctx.storage.sql
		this.#sql.exec(
			`CREATE TABLE IF NOT EXISTS instances (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, record TEXT NOT NULL);
			 CREATE TABLE IF NOT EXISTS endpoints (id TEXT NOT NULL, instance_id TEXT NOT NULL, flow TEXT NOT NULL, PRIMARY KEY (id, instance_id));
			 CREATE TABLE IF NOT EXISTS shared_endpoints (integration TEXT PRIMARY KEY, endpoint_id TEXT NOT NULL);
			 CREATE TABLE IF NOT EXISTS integrations (name TEXT PRIMARY KEY, version INTEGER NOT NULL, definition TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
			 CREATE TABLE IF NOT EXISTS deleted_integrations (name TEXT PRIMARY KEY, version INTEGER NOT NULL);`,
		)
		// Also on the first wake after an upgrade from versions whose endpoints woke
		// themselves for retention.
		void ctx.blockConcurrencyWhile(() => this.#ensureRound())
	}

	/** Arms the retention round while there are endpoints and it is not armed. */
	async #ensureRound(): Promise<void> {
		if ((await this.ctx.storage.getAlarm()) !== null) return
		if (this.#sql.exec('SELECT 1 FROM endpoints LIMIT 1').toArray().length === 0) return
		await this.ctx.storage.setAlarm(Date.now() + RETENTION_ROUND_MS)
	}

	/** One batch of the retention round; the next batch a second later, or the next round. */
	override async alarm(): Promise<void> {
		const cursor = (await this.ctx.storage.get<string>(ROUND_CURSOR)) ?? ''
		const next = await roundStep(
			{
				endpointsAfter: (after, limit) =>
					this.#sql
						.exec<{ id: string }>(
							'SELECT DISTINCT id FROM endpoints WHERE id > ? ORDER BY id LIMIT ?',
							after,
							limit,
						)
						.toArray()
						.map((r) => r.id),
				sweep: (id) => endpointStub(this.env, id).sweep(),
			},
			cursor,
		)
		if (next !== null) {
			await this.ctx.storage.put(ROUND_CURSOR, next)
			await this.ctx.storage.setAlarm(Date.now() + 1000)
			return
		}
		if (cursor !== '') await this.ctx.storage.delete(ROUND_CURSOR)
		await this.ctx.storage.setAlarm(Date.now() + RETENTION_ROUND_MS)
	}

	/** Creates or replaces; each write is a new version (versions keep counting across a delete). */
	async putIntegration(
		name: string,
		definition: DataIntegrationDefinition,
		now: string,
	): Promise<PutOutcome> {
		const existing = await this.getIntegration(name)
		const uses = existing ? this.#liveInstancesOf(name).flatMap((r) => r.endpoints) : []
		const flowsInUse = [...new Set(uses.map((e) => e.flow))].filter(
			(flow) => !Object.hasOwn(definition.flows, flow),
		)
		if (flowsInUse.length > 0) return { ok: false, flowsInUse }
		const version = (existing?.version ?? this.#deletedVersion(name)) + 1
		const integration: StoredIntegration = {
			name,
			version,
			definition,
			createdAt: existing?.createdAt ?? now,
			updatedAt: now,
		}
		this.#sql.exec(
			'INSERT OR REPLACE INTO integrations (name, version, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
			name,
			version,
			JSON.stringify(definition),
			integration.createdAt,
			now,
		)
		this.#sql.exec('DELETE FROM deleted_integrations WHERE name = ?', name)
		const endpoints = [...new Set(uses.map((e) => e.id))]
		return { ok: true, integration, created: !existing, endpoints }
	}

	#liveInstancesOf(integration: string): InstanceRecord[] {
		return this.#sql
			.exec<{ record: string }>(
				"SELECT record FROM instances WHERE deleted = 0 AND json_extract(record, '$.integration') = ?",
				integration,
			)
			.toArray()
			.map((r) => JSON.parse(r.record) as InstanceRecord)
	}

	/** The last version of a deleted integration of this name, so a re-created one does not reuse it. */
	#deletedVersion(name: string): number {
		return (
			this.#sql
				.exec<{ version: number }>('SELECT version FROM deleted_integrations WHERE name = ?', name)
				.toArray()[0]?.version ?? 0
		)
	}

	async getIntegration(name: string): Promise<StoredIntegration | null> {
		const row = this.#sql
			.exec<IntegrationRow>('SELECT * FROM integrations WHERE name = ?', name)
			.toArray()[0]
		return row ? storedIntegration(row) : null
	}

	async listIntegrations(): Promise<StoredIntegration[]> {
		return this.#sql
			.exec<IntegrationRow>('SELECT * FROM integrations ORDER BY name')
			.toArray()
			.map(storedIntegration)
	}

	async deleteIntegration(name: string): Promise<'deleted' | 'not_found' | 'in_use'> {
		const existing = await this.getIntegration(name)
		if (!existing) return 'not_found'
		if (this.#liveInstancesOf(name).length > 0) return 'in_use'
		this.#sql.exec('DELETE FROM integrations WHERE name = ?', name)
		this.#sql.exec(
			'INSERT OR REPLACE INTO deleted_integrations (name, version) VALUES (?, ?)',
			name,
			existing.version,
		)
		return 'deleted'
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
		await this.#ensureRound()
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

interface IntegrationRow extends Record<string, SqlStorageValue> {
	name: string
	version: number
	definition: string
	created_at: string
	updated_at: string
}

function storedIntegration(row: IntegrationRow): StoredIntegration {
	return {
		name: row.name,
		version: row.version,
		definition: JSON.parse(row.definition) as DataIntegrationDefinition,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	}
}

export function registryStub(env: Env): RegistryApi {
	return env.REGISTRY.getByName('registry') as unknown as RegistryApi
}
