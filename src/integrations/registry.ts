/**
 * The integrations this deployment runs. Add an integration by importing its module
 * and listing it here.
 * @module
 */
import type { FlowDefinition, IntegrationDefinition } from './define'
import examples from './examples'
import githubIssues from './github-issues'
import progixSlack from './progix-slack'
import salesforceOutbound from './salesforce-outbound'
import { validateSteps } from './steps'

// Integrations are written against their own config types; the registry only needs the
// shape common to all of them.
const integrations: Record<string, IntegrationDefinition> = {
	[examples.name]: examples as IntegrationDefinition,
	[progixSlack.name]: progixSlack as IntegrationDefinition,
	[salesforceOutbound.name]: salesforceOutbound as IntegrationDefinition,
	[githubIssues.name]: githubIssues as IntegrationDefinition,
}

/** Declarative flows must parse when the integration is registered, not at the first request. */
function validateIntegration(integration: IntegrationDefinition): void {
	for (const [name, flow] of Object.entries(integration.flows)) {
		if (flow.steps) validateSteps(flow.steps, `${integration.name}.${name}.steps`)
	}
}
for (const integration of Object.values(integrations)) validateIntegration(integration)

export function getIntegration(name: string): IntegrationDefinition | undefined {
	return Object.hasOwn(integrations, name) ? integrations[name] : undefined
}

export function getFlow(integration: string, flow: string): FlowDefinition | undefined {
	const def = getIntegration(integration)
	return def && Object.hasOwn(def.flows, flow) ? def.flows[flow] : undefined
}

/**
 * Adds an integration at runtime (tests, embedders). Integrations shipped with a
 * deployment are listed above instead, so every isolate has them.
 */
export function registerIntegration<C extends Record<string, unknown>>(
	integration: IntegrationDefinition<C>,
): void {
	validateIntegration(integration as unknown as IntegrationDefinition)
	integrations[integration.name] = integration as unknown as IntegrationDefinition
}

export function listIntegrations(): IntegrationDefinition[] {
	return Object.values(integrations)
}
