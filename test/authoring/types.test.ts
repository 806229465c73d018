/**
 * The authoring API's types. `tsc --noEmit` (run in CI) checks this file: every
 * `@ts-expect-error` line must be a type error, or the build fails. The runtime
 * assertions only keep vitest honest about the file.
 */
import { describe, expect, it } from 'vitest'
import { defineFlow, defineIntegration } from '../../src/integrations/define'

const integration = defineIntegration({
	name: 'typed',
	config: {
		url: { type: 'string' },
		limit: { type: 'number', default: 5 },
		enabled: { type: 'boolean', default: true },
	},
	flows: {
		run: {
			onExecution(context) {
				const url: string = context.config.url
				const limit: number = context.config.limit
				const enabled: boolean = context.config.enabled
				// @ts-expect-error: config values have their declared types
				const wrong: number = context.config.url
				// @ts-expect-error: undeclared config keys do not exist
				context.config.missing
				return { url, limit, enabled, wrong }
			},
		},
		// @ts-expect-error: a flow needs onExecution or steps
		empty: { description: 'does nothing' },
		// @ts-expect-error: a flow cannot have both onExecution and steps
		both: {
			onExecution: () => 1,
			steps: [],
		},
		declarative: {
			steps: [
				{ type: 'transform', name: 't', expression: 'body' },
				// @ts-expect-error: unknown step types are rejected
				{ type: 'sql', name: 'q', query: 'select 1' },
			],
		},
		hmac: {
			// @ts-expect-error: an HMAC secret must name a declared config variable
			auth: { type: 'hmac', preset: 'github', secretConfig: 'notDeclared' },
			onExecution: () => null,
		},
	},
	async onInstanceDeploy(context) {
		const url: string = context.config.url
		return { registeredAt: url }
	},
})

defineIntegration({
	name: 'bad-state',
	flows: {},
	// @ts-expect-error: deploy hooks return JSON state, not functions
	onInstanceDeploy: () => ({ callback: () => 1 }),
})

// @ts-expect-error: config variables have a type from a fixed set
defineIntegration({ name: 'bad', config: { x: { type: 'date' } }, flows: {} })

const standalone = defineFlow<{ token: string }>({
	retry: { attempts: 5 },
	// @ts-expect-error: fifo keys are selectors given as { key }, not bare strings
	fifo: 'header:x',
	onExecution: (context) => context.config.token.length,
})

describe('authoring types', () => {
	it('defineIntegration and defineFlow return their definitions unchanged', () => {
		expect(integration.name).toBe('typed')
		expect(Object.keys(integration.flows)).toContain('run')
		expect(standalone.retry).toEqual({ attempts: 5 })
	})
})
