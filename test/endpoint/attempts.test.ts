import { describe, expect, it } from 'vitest'
import { completion, leasedToOther, stalled, startedExecution } from '../../src/endpoint/attempts'
import { defaultEndpointConfig, type InstanceSnapshot } from '../../src/endpoint/config'
import type { ExecutionRow } from '../../src/endpoint/execution-record'
import { LEASE_MS, REDRIVE_AFTER_MS } from '../../src/limits'

const NOW = 1_800_000_000_000

const row = (over: Partial<ExecutionRow> = {}): ExecutionRow => ({
	seq: 3,
	status: 'queued',
	attempts: 0,
	received_at: NOW - 1_000,
	started_at: null,
	finished_at: null,
	updated_at: NOW - 1_000,
	source: 'trigger',
	sync: 0,
	delivery_id: null,
	instance_id: 'inst',
	flow: 'echo',
	result_token: 'tok',
	result_type: null,
	result_size: null,
	error: null,
	attempt_errors: null,
	steps: null,
	logs: null,
	method: 'POST',
	path: '',
	content_type: 'application/json',
	size: 2,
	lane: null,
	lease_holder: null,
	lease_until: NOW + REDRIVE_AFTER_MS,
	redrives: 0,
	replay_of: null,
	integration_version: null,
	...over,
})

const instance: InstanceSnapshot = {
	id: 'inst',
	name: 'Instance',
	routingKey: 'inst',
	config: {},
	webhookUrls: { echo: 'https://gw.test/trigger/ep-echo' },
	webhookApiKeys: {},
	state: {},
}

describe('leasedToOther', () => {
	const running = row({ status: 'running', lease_holder: 'msg-a', lease_until: NOW + LEASE_MS })

	it('holds while another runner’s lease lasts', () => {
		expect(leasedToOther(running, 'msg-b', NOW)).toBe(true)
	})
	it('lets the holder’s own redelivery take over at once', () => {
		expect(leasedToOther(running, 'msg-a', NOW)).toBe(false)
	})
	it('ends when the lease lapses, and never holds an execution that is not running', () => {
		expect(leasedToOther(running, 'msg-b', NOW + LEASE_MS)).toBe(false)
		expect(leasedToOther({ ...running, status: 'retrying' }, 'msg-b', NOW)).toBe(false)
	})
})

describe('stalled', () => {
	it('names the status an undriven execution is stuck in', () => {
		expect(stalled(row({ status: 'running' }))).toBe('running')
		expect(stalled(row({ status: 'retrying' }))).toBe('retrying')
		expect(stalled(row({ status: 'queued' }))).toBe('queued')
	})
})

describe('startedExecution', () => {
	it('tells the runner its attempt, its lease and the flow’s URL on a multi-flow endpoint', () => {
		const config = defaultEndpointConfig(
			{ id: 'ep', integration: 'examples', flow: '', instance, endpointMode: 'instance' },
			new Date(NOW).toISOString(),
		)
		const started = startedExecution(config, instance, row({ sync: 1 }), 2, 'msg-a')
		expect(started).toEqual({
			run: true,
			executionId: 'ep-3',
			integration: 'examples',
			flow: 'echo',
			instance,
			sync: true,
			resultToken: 'tok',
			attempt: 2,
			leaseHolder: 'msg-a',
			invokeUrl: 'https://gw.test/trigger/ep-echo',
		})
		const single = { ...config, endpointMode: 'instance-flow' as const }
		expect(startedExecution(single, instance, row(), 1, 'm').invokeUrl).toBeNull()
	})
})

describe('completion', () => {
	const base = row({ status: 'running', attempts: 2, lease_holder: 'm' })

	it('a terminal report finishes the execution and clears its deadline', () => {
		const { terminal, deadline, values } = completion(
			base,
			{ status: 'succeeded', steps: [], logs: [] },
			NOW,
		)
		expect({ terminal, deadline }).toEqual({ terminal: true, deadline: null })
		expect(values).toMatchObject({
			status: 'succeeded',
			finished_at: NOW,
			updated_at: NOW,
			lease_until: null,
			attempts: 2,
			attempt_errors: '[]',
		})
	})

	it('a retry is due again after its delay, plus the time a message may be late', () => {
		const report = {
			status: 'retrying' as const,
			error: 'boom',
			retryInSeconds: 30,
			steps: [],
			logs: [],
		}
		const { terminal, deadline, values } = completion(base, report, NOW)
		expect(terminal).toBe(false)
		expect(deadline).toBe(NOW + 30_000 + REDRIVE_AFTER_MS)
		// Not assigned: the execution stays unfinished.
		expect('finished_at' in values).toBe(false)
		expect(values.lease_until).toBe(deadline)
		expect(JSON.parse(values.attempt_errors)).toEqual([
			{ attempt: 2, error: 'boom', at: new Date(NOW).toISOString() },
		])
	})

	it('an uncounted attempt is taken back, never below zero', () => {
		const report = { status: 'failed' as const, steps: [], logs: [], uncounted: true }
		expect(completion(base, report, NOW).values.attempts).toBe(1)
		expect(completion(row({ attempts: 0 }), report, NOW).values.attempts).toBe(0)
	})

	it('keeps an inline result in the row until it expires', () => {
		const inline = new Uint8Array([1, 2])
		const report = {
			status: 'succeeded' as const,
			steps: [],
			logs: [],
			result: { contentType: 'application/json', size: 2, expiresAt: NOW + 5, inline },
		}
		expect(completion(base, report, NOW).values).toMatchObject({
			result_type: 'application/json',
			result_size: 2,
			result_body: inline,
			result_expires_at: NOW + 5,
		})
	})
})
