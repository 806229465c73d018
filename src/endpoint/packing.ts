/**
 * Packing executions into queue messages: the messages a send batch holds, grouped into
 * packs under PACK_MAX_BYTES and PACK_MAX_EXECUTIONS (a lone message travels as itself).
 * Pure, so the grouping can be tested without a queue.
 * @module
 */
import type { ExecutionMessage, QueueMessage } from '../execution/message'
import { PACK_MAX_BYTES, PACK_MAX_EXECUTIONS } from '../limits'

/** Packs `messages` in order; one too large to share a pack goes alone. */
export function pack(
	messages: readonly ExecutionMessage[],
	sizeOf: (m: ExecutionMessage) => number,
	maxBytes = PACK_MAX_BYTES,
	maxCount = PACK_MAX_EXECUTIONS,
): QueueMessage[] {
	const out: QueueMessage[] = []
	let group: ExecutionMessage[] = []
	let bytes = 0
	const flush = () => {
		if (group.length === 1) out.push(group[0] as ExecutionMessage)
		else if (group.length > 1) out.push({ v: 1, kind: 'pack', executions: group })
		group = []
		bytes = 0
	}
	for (const m of messages) {
		const size = sizeOf(m)
		if (group.length > 0 && (bytes + size > maxBytes || group.length >= maxCount)) flush()
		group.push(m)
		bytes += size
	}
	flush()
	return out
}
