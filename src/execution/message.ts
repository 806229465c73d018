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

/**
 * Several non-FIFO executions in one queue message: sends that queued up behind one
 * another go out together, so a burst pays the queue's three operations per message
 * once for the lot (see hand-off.ts). Its executions retry together (consumer.ts).
 */
export interface PackedMessage {
	v: 1
	kind: 'pack'
	executions: ExecutionMessage[]
}

export type QueueMessage = ExecutionMessage | LifecycleMessage | PackedMessage

export const isLifecycle = (m: QueueMessage): m is LifecycleMessage =>
	'kind' in m && m.kind === 'lifecycle'

export const isPack = (m: QueueMessage): m is PackedMessage => 'kind' in m && m.kind === 'pack'

/**
 * An upper bound of an envelope's serialized size without its body, for deciding how a
 * request can travel (see `carriage.ts`). A string serializes as one byte per character
 * when every character is Latin-1, two otherwise.
 */
export function envelopeOverheadBytes(envelope: Omit<RequestEnvelope, 'body'>): number {
	let n =
		ENVELOPE_FIELDS_BYTES +
		stringBytes(envelope.url) +
		stringBytes(envelope.pathFragment) +
		stringBytes(envelope.contentType)
	for (const [k, v] of envelope.headers) n += stringBytes(k) + stringBytes(v) + 8
	return n
}

/** The message's own fields (ids, sequence, method, time) and their names. */
export const ENVELOPE_FIELDS_BYTES = 512

const WIDE = /[\u0100-\uffff]/

const stringBytes = (s: string): number => (WIDE.test(s) ? s.length * 2 : s.length)
