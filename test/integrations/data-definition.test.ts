/** Validation of integrations written as data: what `PUT /api/integrations/{name}` accepts. */
import { describe, expect, it } from 'vitest'
import { parseDataIntegration } from '../../src/integrations/data/definition'

const valid = {
	description: 'Notify a chat channel',
	config: {
		url: { type: 'string', required: true },
		secret: { type: 'string', secret: true, default: 's3cret' },
	},
	flows: {
		notify: {
			filter: 'body.action = "opened"',
			auth: { type: 'hmac', preset: 'github', secretConfig: 'secret' },
			mode: 'async',
			fifo: { key: 'header:x-lane' },
			retry: { attempts: 5 },
			steps: [
				{ type: 'transform', name: 'text', expression: '"Opened: " & body.title' },
				{
					type: 'branch',
					name: 'route',
					condition: 'config.url != ""',
					whenTrue: [
						{
							type: 'loop',
							name: 'each',
							items: 'body.labels',
							steps: [{ type: 'http', name: 'post', url: 'config.url', body: '{"t": item}' }],
						},
					],
				},
			],
		},
	},
}

function errorOf(input: unknown): string {
	const result = parseDataIntegration(input)
	if (result.ok) throw new Error('expected the definition to be refused')
	return result.error
}

describe('data integration definitions', () => {
	it('accept the declarative steps with their flow options', () => {
		const result = parseDataIntegration(valid)
		expect(result.ok).toBe(true)
	})

	it('refuse an expression that does not compile, naming its path', () => {
		const def = structuredClone(valid)
		;(def.flows.notify.steps[0] as { expression: string }).expression = '"a" &'
		expect(errorOf(def)).toMatch(
			/^Invalid request: flows\.notify\.steps\[0\]\.expression: invalid JSONata: /,
		)
	})

	it('compile nested branch, loop and http expressions and the filter', () => {
		const nested = structuredClone(valid)
		const branch = nested.flows.notify.steps[1] as { whenTrue: Array<{ items: string }> }
		;(branch.whenTrue[0] as { items: string }).items = 'body.('
		expect(errorOf(nested)).toMatch(
			/^Invalid request: flows\.notify\.steps\[1\]\.whenTrue\[0\]\.items: invalid JSONata: /,
		)
		const filtered = structuredClone(valid)
		filtered.flows.notify.filter = '$$$('
		expect(errorOf(filtered)).toMatch(/^Invalid request: flows\.notify\.filter: invalid JSONata: /)
	})

	it('refuse an unknown step type', () => {
		const def = structuredClone(valid) as { flows: { notify: { steps: unknown[] } } }
		def.flows.notify.steps[1] = { type: 'sleep', name: 'wait' }
		expect(errorOf(def)).toBe(
			'Invalid request: flows.notify.steps[1].type: unknown step type (expected one of transform, http, branch, loop)',
		)
	})

	it('refuse auth that names an undeclared config key', () => {
		const def = structuredClone(valid)
		def.flows.notify.auth.secretConfig = 'missing'
		expect(errorOf(def)).toBe(
			'Invalid request: flows.notify.auth.secretConfig: config key "missing" is not declared',
		)
	})

	it('take public-key auth from config, with the key the preset needs', () => {
		const withAuth = (auth: unknown) => ({
			config: { key: { type: 'string' } },
			flows: { f: { auth, steps: valid.flows.notify.steps } },
		})
		expect(
			parseDataIntegration(withAuth({ type: 'publicKey', preset: 'discord', keyConfig: 'key' })).ok,
		).toBe(true)
		expect(errorOf(withAuth({ type: 'publicKey', preset: 'discord' }))).toBe(
			'Invalid request: flows.f.auth.keyConfig: required for discord',
		)
		expect(errorOf(withAuth({ type: 'publicKey', preset: 'aws-sns', keyConfig: 'key' }))).toBe(
			'Invalid request: flows.f.auth.topicArnsConfig: required for aws-sns',
		)
		expect(errorOf(withAuth({ type: 'publicKey', preset: 'sendgrid', keyConfig: 'other' }))).toBe(
			'Invalid request: flows.f.auth.keyConfig: config key "other" is not declared',
		)
	})

	it('refuse a definition without flows, or with unknown fields', () => {
		expect(errorOf({ flows: {} })).toBe('Invalid request: flows: at least one flow is required')
		expect(errorOf({ ...valid, onTrigger: 'x' })).toMatch(/^Invalid request: \(body\): /)
		expect(errorOf({ flows: { a: { steps: [] } } })).toMatch(/^Invalid request: flows\.a\.steps: /)
	})
})
