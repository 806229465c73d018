/**
 * Values a sender's handshake hands over once (Asana's `X-Hook-Secret`, Notion's
 * `verification_token`), kept for the operator to read or adopt as the endpoint's HMAC
 * secret. Such a handshake cannot be authenticated, so anyone could send one: a capture is
 * never adopted by itself, the newest few are kept, and a burst is not recorded past a
 * small budget (each capture is a storage write).
 * @module
 */
import type { HandshakeType } from '../handshakes'
import { bytesToHex } from '../lib/encoding'
import type { ConfigStore } from './config-store'

export interface Capture {
	id: string
	type: HandshakeType
	/** The provider's own name for the value. */
	name: string
	value: string
	capturedAt: string
}

/** What the admin API lists: never the value, only a fingerprint to recognise it by. */
export interface CaptureView {
	id: string
	type: HandshakeType
	name: string
	capturedAt: string
	/** The first 12 hex digits of the value's SHA-256. */
	fingerprint: string
}

export const MAX_CAPTURES = 5
/** Captures recorded per minute at most: a flood of forged handovers costs a few writes. */
export const MAX_CAPTURES_PER_MINUTE = 10

export async function captureView(capture: Capture): Promise<CaptureView> {
	const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(capture.value))
	const hex = bytesToHex(new Uint8Array(digest))
	return {
		id: capture.id,
		type: capture.type,
		name: capture.name,
		capturedAt: capture.capturedAt,
		fingerprint: hex.slice(0, 12),
	}
}

export type AdoptOutcome = 'adopted' | 'not_found' | 'not_hmac' | 'full'

/** At most this many secrets in an HMAC config (the admin schema's limit). */
const MAX_SECRETS = 10

/**
 * The captures of one endpoint, kept in its `meta` table: read once at start-up, written
 * only when a handshake hands a value over or the operator takes one.
 */
export class CaptureStore {
	#list: Capture[] = []
	#recent: number[] = []

	constructor(
		private readonly sql: SqlStorage,
		private readonly now: () => number,
	) {}

	restore(stored: string | null): void {
		this.#list = stored ? (JSON.parse(stored) as Capture[]) : []
	}

	list(): readonly Capture[] {
		return this.#list
	}

	/** False when the minute's budget is spent (the handshake is then refused, not answered). */
	record(type: HandshakeType, name: string, value: string): boolean {
		const now = this.now()
		// Counted in memory: a budget, not a record (an evicted object starts afresh).
		this.#recent = this.#recent.filter((t) => t > now - 60_000)
		if (this.#recent.length >= MAX_CAPTURES_PER_MINUTE) return false
		this.#recent.push(now)
		const capture: Capture = {
			id: crypto.randomUUID(),
			type,
			name,
			value,
			capturedAt: new Date(now).toISOString(),
		}
		this.#save([capture, ...this.#list].slice(0, MAX_CAPTURES))
		return true
	}

	find(id: string): Capture | undefined {
		return this.#list.find((c) => c.id === id)
	}

	remove(id: string): void {
		this.#save(this.#list.filter((c) => c.id !== id))
	}

	#save(list: Capture[]): void {
		this.sql.exec(
			"INSERT INTO meta (key, value) VALUES ('captures', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
			JSON.stringify(list),
		)
		this.#list = list
	}
}

/** The HMAC secrets with `value` added (kept last: the first one stays the signing secret). */
export function adoptedSecrets(secrets: readonly string[], value: string): string[] | 'full' {
	if (secrets.includes(value)) return [...secrets]
	if (secrets.length >= MAX_SECRETS) return 'full'
	return [...secrets, value]
}

/**
 * Makes a capture one of the endpoint's HMAC secrets (Asana signs its events with the
 * `X-Hook-Secret` it handed over) and forgets it. The operator's act: never automatic,
 * since anyone can send a handover.
 */
export function adoptCapture(
	captures: CaptureStore,
	config: Pick<ConfigStore, 'get' | 'patch'>,
	id: string,
	replace: boolean,
): AdoptOutcome {
	const capture = captures.find(id)
	const current = config.get()
	if (!capture || !current) return 'not_found'
	const auth = current.auth
	if (auth.type !== 'hmac') return 'not_hmac'
	const secrets = adoptedSecrets(replace ? [] : (auth.secrets ?? []), capture.value)
	if (secrets === 'full') return 'full'
	config.patch({ auth: { ...auth, secrets } })
	captures.remove(id)
	return 'adopted'
}
