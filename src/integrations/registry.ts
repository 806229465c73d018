/**
 * The integrations this isolate runs. It starts empty: a Worker's entry lists its
 * integrations in `createGateway` (src/gateway.ts), which registers them here when the
 * entry module is evaluated, before any request, queue batch or Durable Object call.
 * @module
 */
import {
	FLOW_OPTION_KEYS,
	flowOptionsSchema,
	formatPath,
	undeclaredConfigKeys,
} from './data/definition'
import type { FlowDefinition, IntegrationDefinition } from './define'
import { validateSteps } from './steps'

// Integrations are written against their own config types; the registry only needs the
// shape common to all of them.
const integrations: Record<string, IntegrationDefinition> = {}

/**
 * A definition must be runnable when it is registered, not fail at the first request:
 * declarative steps and filters must parse, and flow options (auth preset, handshakes,
 * FIFO key, retry, response) must pass the schemas the admin API validates with.
 */
function validateIntegration(integration: IntegrationDefinition): void {
	const options: Record<string, Record<string, unknown>> = {}
	for (const [name, flow] of Object.entries(integration.flows)) {
		if (flow.steps) validateSteps(flow.steps, `${integration.name}.${name}.steps`)
		const picked = Object.fromEntries(
			FLOW_OPTION_KEYS.filter((key) => flow[key] !== undefined).map((key) => [key, flow[key]]),
		)
		const checked = flowOptionsSchema.safeParse(picked)
		const issue = checked.error?.issues[0]
		if (issue) {
			const at = formatPath(['flows', name, ...issue.path])
			throw new Error(`integration "${integration.name}": ${at}: ${issue.message}`)
		}
		if (checked.data) options[name] = checked.data
	}
	const [undeclared] = undeclaredConfigKeys(integration.config, options)
	if (undeclared) {
		throw new Error(
			`integration "${integration.name}": ${formatPath(undeclared.path)}: ${undeclared.message}`,
		)
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
