/**
 * The endpoint's configuration as its Durable Object keeps it (the `config` row of
 * `meta`), and the rate window its limit sizes. Config is read on every request and
 * written only by admin actions, so it is held in memory and written through.
 * @module
 */
import type { DataIntegrationCopy } from '../integrations/data/runtime'
import type { JsonObject } from '../lib/json'
import { RATE_WINDOW_MS } from '../limits'
import {
	applyPatch,
	type EndpointConfig,
	type EndpointPatch,
	type InstanceSnapshot,
	instanceById,
	withInstance,
	withoutInstance,
} from './config'
import type { ExecutionStore } from './execution-store'
import { RateWindow } from './rate-window'

export class ConfigStore {
	#config: EndpointConfig | null = null
	#window: RateWindow | null = null

	constructor(
		private readonly sql: SqlStorage,
		private readonly store: ExecutionStore,
		private readonly now: () => number,
	) {}

	/** At start-up, the `config` row as read from `meta` (null: not configured yet). */
	restore(stored: string | null): void {
		this.#config = stored === null ? null : (JSON.parse(stored) as EndpointConfig)
		this.#window = this.#config
			? this.#restoreWindow(this.#config.rateLimit.requestsPerSecond)
			: null
	}

	/** The config, deleted or not (executions of a deleted endpoint stay readable). */
	get config(): EndpointConfig | null {
		return this.#config
	}

	/** The config of an endpoint that takes requests, with its rate window. */
	get live(): { config: EndpointConfig; window: RateWindow } | null {
		const config = this.#config
		return config && !config.deletedAt && this.#window ? { config, window: this.#window } : null
	}

	/** The id of a configured endpoint (only asked for once one is). */
	get endpointId(): string {
		return (this.#config as EndpointConfig).id
	}

	/**
	 * The admission log is the execution table itself (every admitted request has a row),
	 * so the window survives eviction without a write of its own.
	 */
	#restoreWindow(limit: number): RateWindow {
		const admissions = this.store.admissionsSince(this.now() - RATE_WINDOW_MS, limit)
		return new RateWindow(limit, RATE_WINDOW_MS, admissions)
	}

	#save(config: EndpointConfig): void {
		this.sql.exec(
			"INSERT INTO meta (key, value) VALUES ('config', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			JSON.stringify(config),
		)
		const limit = config.rateLimit.requestsPerSecond
		if (!this.#window) this.#window = this.#restoreWindow(limit)
		else if (this.#window.limit !== limit) this.#window = this.#window.withLimit(limit)
		this.#config = config
	}

	/** Creates the endpoint. Idempotent: configuring an existing endpoint returns it unchanged. */
	configure(config: EndpointConfig): EndpointConfig {
		if (this.#config) return this.#config
		this.#save(config)
		return config
	}

	get(): EndpointConfig | null {
		return this.#config && !this.#config.deletedAt ? this.#config : null
	}

	patch(patch: EndpointPatch): EndpointConfig | null {
		if (!this.#config || this.#config.deletedAt) return null
		const next = applyPatch(this.#config, patch, new Date().toISOString())
		this.#save(next)
		return next
	}

	/** Replaces the endpoint's copy of an instance (new state from a deploy hook, a new member of a shared endpoint). */
	putInstance(snapshot: InstanceSnapshot): boolean {
		const config = this.#config
		const next = config && !config.deletedAt ? withInstance(config, snapshot) : null
		if (!next) return false
		this.#save(next)
		return true
	}

	/**
	 * A replaced data integration: its new version runs from the next request and the next
	 * start on. Versions only move forward, so a late or repeated push changes nothing.
	 */
	setDataIntegration(copy: DataIntegrationCopy): boolean {
		const config = this.#config
		const current = config?.dataIntegration
		if (!config || config.deletedAt || !current) return false
		if (copy.version <= current.version) return true
		this.#save({ ...config, dataIntegration: copy, updatedAt: new Date().toISOString() })
		return true
	}

	/** Records what an instance's deploy hook returned, on this endpoint's copy of it. */
	setInstanceState(instanceId: string, state: JsonObject): void {
		const config = this.#config
		const snapshot = config ? instanceById(config, instanceId) : null
		if (snapshot) this.putInstance({ ...snapshot, state })
	}

	/** Removes an instance from a shared endpoint: its requests answer 404 from now on. */
	removeInstance(instanceId: string): void {
		const config = this.#config
		if (config?.endpointMode !== 'shared') return
		this.#save(withoutInstance(config, instanceId))
	}

	/** Deletes the endpoint: it answers 404 from now on; its execution history stays readable. */
	remove(): boolean {
		if (!this.#config || this.#config.deletedAt) return false
		this.#save({ ...this.#config, deletedAt: new Date().toISOString() })
		return true
	}
}
