/**
 * Finds an integration by name for the admin routes: a code one from this deployment's
 * registry, else one written as data, with the copy its endpoints will keep.
 * @module
 */
import type { Env } from '../env'
import type { DataIntegrationCopy } from '../integrations/data/runtime'
import { integrationFromData } from '../integrations/data/runtime'
import type { ConfigVariable, IntegrationDefinition } from '../integrations/define'
import { getIntegration } from '../integrations/registry'
import { registryStub } from '../registry/registry-do'

export interface FoundIntegration {
	integration: IntegrationDefinition
	/** Set for a data integration: the definition and version its endpoints get. */
	copy: DataIntegrationCopy | null
}

export async function lookupIntegration(env: Env, name: string): Promise<FoundIntegration | null> {
	const code = getIntegration(name)
	if (code) return { integration: code, copy: null }
	const stored = await registryStub(env).getIntegration(name)
	if (!stored) return null
	const copy = { version: stored.version, definition: stored.definition }
	return { integration: integrationFromData(name, copy), copy }
}

/**
 * Config declarations by integration name, for redacting instance views: code ones from
 * the registry, data ones in one call, only when some instance needs them.
 */
export async function configDeclarations(
	env: Env,
	names: Iterable<string>,
): Promise<Map<string, Record<string, ConfigVariable> | undefined>> {
	const found = new Map<string, Record<string, ConfigVariable> | undefined>()
	const missing: string[] = []
	for (const name of new Set(names)) {
		const code = getIntegration(name)
		if (code) found.set(name, code.config)
		else missing.push(name)
	}
	if (missing.length > 0) {
		for (const stored of await registryStub(env).listIntegrations())
			if (missing.includes(stored.name)) found.set(stored.name, stored.definition.config)
	}
	return found
}
