/**
 * The library entry: a Worker's own integrations run through `createGateway`'s handlers,
 * listing them again is harmless, and one name listed twice is refused at startup.
 */
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { type AnyIntegration, createGateway, defineIntegration } from '../src/gateway'
import { ADMIN_TOKEN, BASE, waitForStatus } from './helpers'

const shout = defineIntegration({
	name: 'library-shout',
	config: { suffix: { type: 'string', default: '!' } },
	flows: {
		upper: {
			onExecution: (context, payload) =>
				`${String((payload.body.data as { text: string }).text).toUpperCase()}${context.config.suffix}`,
		},
	},
})

function via(gateway: ReturnType<typeof createGateway>, path: string, init: RequestInit = {}) {
	const request = new Request(`${BASE}${path}`, init)
	return Promise.resolve(gateway.fetch(request, env, createExecutionContext()))
}

const adminHeaders = {
	authorization: `Bearer ${ADMIN_TOKEN}`,
	'content-type': 'application/json',
}

describe('createGateway', () => {
	it("deploys and runs an integration listed by the Worker's entry", async () => {
		const gateway = createGateway({ integrations: [shout] })
		const created = await via(gateway, '/api/instances', {
			method: 'POST',
			headers: adminHeaders,
			body: JSON.stringify({ integration: 'library-shout', config: { suffix: '?' } }),
		})
		expect(created.status).toBe(201)
		const { webhookUrls } = (await created.json()) as { webhookUrls: Record<string, string> }

		const accepted = await via(gateway, new URL(webhookUrls.upper as string).pathname, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ text: 'hello' }),
		})
		expect(accepted.status).toBe(200)
		const { executionId } = (await accepted.json()) as { executionId: string }
		const execution = await waitForStatus(executionId)
		expect(execution.status).toBe('succeeded')
		const result = await via(gateway, new URL(execution.resultUrl as string).pathname)
		expect(await result.text()).toContain('HELLO?')
	})

	it('registers an integration listed again (another entry, a second call) once', async () => {
		createGateway({ integrations: [shout] })
		const gateway = createGateway({ integrations: [shout] })
		const res = await via(gateway, '/api/integrations', { headers: adminHeaders })
		const names = ((await res.json()) as Array<{ name: string }>).map((i) => i.name)
		expect(names.filter((name) => name === 'library-shout')).toHaveLength(1)
	})

	it('refuses two integrations under one name', () => {
		const other = defineIntegration({ name: 'library-shout', flows: {} })
		expect(() => createGateway({ integrations: [shout, other] })).toThrow(
			'integration "library-shout" is listed twice',
		)
	})

	it('refuses a declarative flow whose expression does not parse, at startup', () => {
		const broken = defineIntegration({
			name: 'library-broken',
			flows: { bad: { steps: [{ type: 'transform', name: 'x', expression: '$$$(' }] } },
		})
		expect(() => createGateway({ integrations: [broken] })).toThrow(/library-broken\.bad\.steps/)
	})

	it.each([
		[
			'an auth preset that does not exist',
			{ auth: { type: 'hmac', preset: 'stirpe', secretConfig: 'secret' } },
			'flows.hook.auth.preset',
		],
		[
			'a handshake type that does not exist',
			{ handshakes: [{ type: 'slak' }] },
			'flows.hook.handshakes[0].type',
		],
		[
			'a FIFO key that is not a selector',
			{ fifo: { key: 'customer' } },
			'flows.hook.fifo.key: must be header:<name> or body:<dot.path>',
		],
		['a filter that does not parse', { filter: 'body.(' }, 'flows.hook.filter: invalid JSONata'],
		['a retry policy out of range', { retry: { attempts: 0 } }, 'flows.hook.retry.attempts'],
		[
			'auth naming an undeclared config key',
			{ auth: { type: 'hmac', secretConfig: 'signingSecret' } },
			'flows.hook.auth.secretConfig: config key "signingSecret" is not declared',
		],
	])('refuses %s when the integration is registered', (_what, options, message) => {
		const typo = {
			name: 'library-typo',
			config: { secret: { type: 'string', secret: true } },
			flows: { hook: { ...options, onExecution: () => null } },
		} as unknown as AnyIntegration
		expect(() => createGateway({ integrations: [typo] })).toThrow(
			`integration "library-typo": ${message}`,
		)
	})
})
