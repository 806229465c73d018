/**
 * A data integration's definition as the console's edit form holds it: the admin API's
 * view of it (secrets shown as `[redacted]`) as pretty JSON, and back. Pure.
 * @module
 */
import { REDACTED } from '../handshakes/schema'
import type { DataIntegrationDefinition } from '../integrations/data/definition'

/**
 * The part of `GET /api/integrations/{name}` a definition is made of: the fields the
 * registry adds (name, source, version, timestamps) are not writable.
 */
export function editableText(view: Record<string, unknown>): string {
	const { name: _n, source: _s, version: _v, createdAt: _c, updatedAt: _u, ...definition } = view
	return JSON.stringify(definition, null, 2)
}

type JsonRecord = Record<string, unknown>

const isRecord = (value: unknown): value is JsonRecord =>
	typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The form shows secrets as `[redacted]` and never holds them, so a definition saved
 * back unchanged must keep its stored secrets rather than store the placeholder: each
 * placeholder left where the stored definition has a secret gets that secret back. A
 * config default is restored only while the variable is still marked secret, so turning
 * `secret` off cannot reveal the stored value on the next read.
 *
 * Returns the text to save: the submitted text itself unless a secret was restored.
 */
export function restoreRedacted(text: string, stored: DataIntegrationDefinition | null): string {
	if (!stored) return text
	let submitted: unknown
	try {
		submitted = JSON.parse(text)
	} catch {
		return text // the admin API answers for malformed JSON
	}
	if (!isRecord(submitted)) return text
	let restored = false

	const config = submitted.config
	if (isRecord(config)) {
		for (const [key, variable] of Object.entries(config)) {
			const before = stored.config?.[key]
			if (
				isRecord(variable) &&
				variable.secret === true &&
				variable.default === REDACTED &&
				before?.secret &&
				before.default !== undefined
			) {
				variable.default = before.default
				restored = true
			}
		}
	}

	const flows = submitted.flows
	if (isRecord(flows)) {
		for (const [flowName, flow] of Object.entries(flows)) {
			const storedList = stored.flows[flowName]?.handshakes ?? []
			if (!isRecord(flow) || !Array.isArray(flow.handshakes)) continue
			for (const entry of flow.handshakes) {
				if (!isRecord(entry)) continue
				// A handshake type appears at most once in a list: the type identifies the entry.
				const before = storedList.find((h) => h.type === entry.type) as JsonRecord | undefined
				if (!before) continue
				for (const [field, value] of Object.entries(entry)) {
					if (value === REDACTED && typeof before[field] === 'string') {
						entry[field] = before[field]
						restored = true
					}
				}
			}
		}
	}

	if (!restored) return text
	try {
		return JSON.stringify(submitted)
	} catch {
		return text // too deep to serialize: the admin API refuses it by depth anyway
	}
}
