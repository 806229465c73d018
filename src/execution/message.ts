/**
 * What travels from the EndpointDO to the queue consumer.
 * @module
 */

/** The request exactly as received, minus nothing a flow or a replay needs. */
export interface RequestEnvelope {
	method: string
	url: string
	pathFragment: string
	/** Header pairs in arrival order, names lower-cased. */
	headers: Array<[string, string]>
	contentType: string
	/** Inline bytes when they fit a queue message; otherwise a key in the R2 bucket. */
	body: { inline: Uint8Array } | { r2Key: string; size: number }
	/** ms since the epoch. */
	receivedAt: number
}

export interface ExecutionMessage {
	v: 1
	executionId: string
	endpointId: string
	sequence: number
	request: RequestEnvelope
}

/** Runs an integration's onInstanceDeploy / onInstanceRemove, retried like an execution. */
export interface LifecycleMessage {
	v: 1
	kind: 'lifecycle'
	hook: 'deploy' | 'remove'
	instanceId: string
}

export type QueueMessage = ExecutionMessage | LifecycleMessage

export const isLifecycle = (m: QueueMessage): m is LifecycleMessage =>
	'kind' in m && m.kind === 'lifecycle'

/** Rough serialized size of an envelope, for deciding whether its body must go to R2. */
export function envelopeOverheadBytes(envelope: Omit<RequestEnvelope, 'body'>): number {
	let n = 512 + envelope.url.length + envelope.pathFragment.length + envelope.contentType.length
	for (const [k, v] of envelope.headers) n += k.length + v.length + 8
	return n
}
