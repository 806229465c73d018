/**
 * The integrations this isolate runs. It starts empty: a Worker's entry lists its
 * integrations in `createGateway` (src/gateway.ts), which registers them here when the
 * entry module is evaluated, before any request, queue batch or Durable Object call.
 * @module
 */
import type { FlowDefinition, IntegrationDefinition } from './define'
import { validateSteps } from './steps'

// Integrations are written against their own config types; the registry only needs the
// shape common to all of them.
const integrations: Record<string, IntegrationDefinition> = {}

/** Declarative flows must parse when the integration is registered, not at the first request. */
function validateIntegration(integration: IntegrationDefinition): void {
	for (const [name, flow] of Object.entries(integration.flows)) {
		if (flow.steps) validateSteps(flow.steps, `${integration.name}.${name}.steps`)
	}
}

export function getIntegration(name: string): IntegrationDefinition | undefined {
	return Object.hasOwn(integrations, name) ? integrations[name] : undefined
}

export function getFlow(integration: string, flow: string): FlowDefinition | undefined {
	const def = getIntegration(integration)
	return def && Object.hasOwn(def.flows, flow) ? def.flows[flow] : undefined
}

/**
 * Adds an integration to this isolate (the gateway's entry, tests). Registering the same
 * definition again is a no-op; another definition under the same name replaces it.
 */
export function registerIntegration<C extends Record<string, unknown>>(
	integration: IntegrationDefinition<C>,
): void {
	const definition = integration as unknown as IntegrationDefinition
	if (getIntegration(definition.name) === definition) return
	validateIntegration(definition)
	integrations[definition.name] = definition
}

export function listIntegrations(): IntegrationDefinition[] {
	return Object.values(integrations)
}
