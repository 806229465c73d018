/**
 * Integrations as data at run time: a stored definition becomes the same
 * `IntegrationDefinition` a code integration is, so deploys, routing, the trigger path
 * and the runner treat both kinds alike. Pure, and memoized by object: an endpoint's
 * cached config is converted once per isolate, not once per request.
 * @module
 */
import type { FlowDefinition, IntegrationDefinition } from '../define'
import type { DataFlowDefinition, DataIntegrationDefinition } from './definition'

/** A data integration as an endpoint keeps it: the definition its instance runs, and its version. */
export interface DataIntegrationCopy {
	version: number
	definition: DataIntegrationDefinition
}

/** The one flow a runner needs, with the version it belongs to. */
export interface DataFlowCopy {
	version: number
	flow: DataFlowDefinition
}

const integrations = new WeakMap<DataIntegrationCopy, IntegrationDefinition>()
/**
 * A stored flow already is a flow: its steps, filter and options have the shapes a code
 * flow's have (a stored `response` is complete), so it is used as it is.
 */
export function flowFromData(flow: DataFlowDefinition): FlowDefinition {
	return flow as FlowDefinition
}

export function integrationFromData(
	name: string,
	copy: DataIntegrationCopy,
): IntegrationDefinition {
	let built = integrations.get(copy)
	if (!built) {
		const { definition } = copy
		built = {
			name,
			flows: Object.fromEntries(
				Object.entries(definition.flows).map(([flowName, flow]) => [flowName, flowFromData(flow)]),
			),
			...(definition.description !== undefined ? { description: definition.description } : {}),
			...(definition.config !== undefined ? { config: definition.config } : {}),
			...(definition.endpointMode !== undefined ? { endpointMode: definition.endpointMode } : {}),
			...(definition.flowSelector !== undefined ? { flowSelector: definition.flowSelector } : {}),
			...(definition.instanceSelector !== undefined
				? { instanceSelector: definition.instanceSelector }
				: {}),
		}
		integrations.set(copy, built)
	}
	return built
}

/** The flow of one version a runner is handed: only that flow travels, not the whole definition. */
export function dataFlowOf(copy: DataIntegrationCopy, flow: string): DataFlowCopy | undefined {
	const found = Object.hasOwn(copy.definition.flows, flow) ? copy.definition.flows[flow] : undefined
	return found ? { version: copy.version, flow: found } : undefined
}
