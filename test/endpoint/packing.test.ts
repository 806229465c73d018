import { describe, expect, it } from 'vitest'
import { pack } from '../../src/endpoint/packing'
import type { ExecutionMessage } from '../../src/execution/message'

const message = (sequence: number): ExecutionMessage => ({
	v: 1,
	executionId: `ep-${sequence}`,
	endpointId: 'ep',
	sequence,
	request: {
		method: 'POST',
		url: 'https://gateway.test/trigger/ep',
		pathFragment: '',
		headers: [],
		contentType: 'application/json',
		body: { inline: new Uint8Array(0) },
		receivedAt: 0,
	},
})

describe('pack', () => {
	const sizes = new Map([
		[1, 40],
		[2, 40],
		[3, 40],
		[4, 150],
		[5, 10],
	])
	const sizeOf = (m: ExecutionMessage) => sizes.get(m.sequence) ?? 0

	it('packs messages in order under the byte limit; a lone one travels as itself', () => {
		const out = pack([1, 2, 3, 4, 5].map(message), sizeOf, 100)
		expect(
			out.map((m) => ('kind' in m && m.kind === 'pack' ? m.executions.map((e) => e.sequence) : m)),
		).toEqual([[1, 2], message(3), message(4), message(5)])
	})

	it('sends a single message unpacked', () => {
		expect(pack([message(1)], sizeOf, 100)).toEqual([message(1)])
	})

	it('puts at most `maxCount` executions in a pack', () => {
		const out = pack([1, 2, 3, 5].map(message), () => 1, 100, 2)
		expect(
			out.map((m) => ('kind' in m && m.kind === 'pack' ? m.executions.map((e) => e.sequence) : m)),
		).toEqual([
			[1, 2],
			[3, 5],
		])
	})
})
