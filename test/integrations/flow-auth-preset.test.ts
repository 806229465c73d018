/** A data integration's flow auth preset is checked on write against the admin API's enum. */
import { describe, expect, it } from 'vitest'
import { HMAC_PRESETS } from '../../src/auth'
import { parseDataIntegration } from '../../src/integrations/data/definition'

const withPreset = (preset: unknown) => ({
	config: { secret: { type: 'string', secret: true } },
	flows: {
		notify: {
			auth: { type: 'hmac', preset, secretConfig: 'secret' },
			steps: [{ type: 'transform', name: 't', expression: 'body' }],
		},
	},
})

describe('data integration flow auth presets', () => {
	it('accept every preset the admin API accepts', () => {
		for (const preset of HMAC_PRESETS) {
			expect(parseDataIntegration(withPreset(preset)).ok, preset).toBe(true)
		}
	})

	it('refuse a misspelt preset with a 400 message naming the field', () => {
		const result = parseDataIntegration(withPreset('stirpe'))
		expect(result.ok).toBe(false)
		expect(result.ok ? '' : result.error).toMatch(/^Invalid request: flows\.notify\.auth\.preset: /)
	})
})
