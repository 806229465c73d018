/**
 * The integration an endpoint serves: a code integration from this deployment's
 * registry, or the copy of a data integration the endpoint received at deploy. Either
 * way no extra round trip: the copy travels inside the endpoint's config.
 * @module
 */

import {
	type DataFlowCopy,
	type DataIntegrationCopy,
	flowFromData,
	integrationFromData,
} from './data/runtime'
import type { FlowDefinition, IntegrationDefinition } from './define'
import { getFlow, getIntegration } from './registry'

export function integrationOf(ref: {
	integration: string
	dataIntegration?: DataIntegrationCopy | null | undefined
}): IntegrationDefinition | undefined {
	if (ref.dataIntegration) return integrationFromData(ref.integration, ref.dataIntegration)
	return getIntegration(ref.integration)
}

export function flowOf(ref: {
	integration: string
	flow: string
	dataFlow?: DataFlowCopy | null | undefined
}): FlowDefinition | undefined {
	if (ref.dataFlow) return flowFromData(ref.dataFlow.flow)
	return getFlow(ref.integration, ref.flow)
}
