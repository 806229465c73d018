/**
 * A flow's auth preset is typed from the enum the admin API validates with. `tsc --noEmit`
 * checks this file: every `@ts-expect-error` line must be a type error.
 */
import { describe, expect, it } from 'vitest'
import { HMAC_PRESETS, type HmacPreset } from '../../src/auth'
import { defineIntegration } from '../../src/integrations/define'

const integration = defineIntegration({
	name: 'presets',
	config: { secret: { type: 'string' } },
	flows: {
		stripe: {
			auth: { type: 'hmac', preset: 'stripe', secretConfig: 'secret' },
			onExecution: () => null,
		},
		typo: {
			// @ts-expect-error: 'stirpe' is not a preset name
			auth: { type: 'hmac', preset: 'stirpe', secretConfig: 'secret' },
			onExecution: () => null,
		},
		generic: {
			auth: { type: 'hmac', header: 'x-signature', secretConfig: 'secret' },
			onExecution: () => null,
		},
	},
})

// Every name the schema accepts is assignable, and nothing else.
const every: readonly HmacPreset[] = HMAC_PRESETS
// @ts-expect-error: a string is not a preset
const some: HmacPreset = 'sendgrid' as string

describe('flow auth preset types', () => {
	it('keeps the definitions as written', () => {
		expect(integration.flows.stripe?.auth).toEqual({
			type: 'hmac',
			preset: 'stripe',
			secretConfig: 'secret',
		})
		expect(every.length).toBeGreaterThanOrEqual(30)
		expect(some).toBe('sendgrid')
	})
})
