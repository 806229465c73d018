/**
 * Garbage in every signature, timestamp and id header of the presets added with the
 * data-row table and the asymmetric schemes: the trigger route answers 401, never 5xx, and
 * starts nothing (the original presets have the same test in test/trigger).
 */
import { describe, expect, it } from 'vitest'
import { HMAC_PRESETS } from '../../src/auth'
import { ROWS } from '../../src/auth/providers/rows'
import { admin, call, createExamples, patchEndpoint } from '../helpers'

const ROW_HEADERS = Object.values(ROWS).flatMap((row) => [
	...(typeof row.header === 'string' ? [row.header] : row.header),
	...('timestamp' in row && 'header' in row.timestamp ? [row.timestamp.header] : []),
	...('id' in row ? [row.id] : []),
	...('fixed' in row ? Object.keys(row.fixed) : []),
])
const NAMES = [
	...new Set([
		...ROW_HEADERS,
		'linear-signature',
		'linear-timestamp',
		'x-gitlab-token',
		'svix-id',
		'svix-timestamp',
		'svix-signature',
		'x-signature-ed25519',
		'x-signature-timestamp',
		'x-twilio-email-event-webhook-signature',
		'x-twilio-email-event-webhook-timestamp',
	]),
]
const GARBAGE = [
	'%%%===,,,;;;t=1e999;v1=zz;h1=',
	'9'.repeat(40),
	't=,v1=',
	'2019-02-30T25:61:61.9999999999Z',
]
const WHSEC = new Set(['clerk', 'resend', 'svix', 'standard-webhooks'])
const ORIGINAL = new Set([
	'github',
	'stripe',
	'slack',
	'shopify',
	'standard-webhooks',
	'svix',
	'twilio',
	'zoom',
	'square',
	'hubspot',
	'paddle',
])

const AUTHS = [
	...HMAC_PRESETS.filter((p) => !ORIGINAL.has(p)).map((preset) => ({
		type: 'hmac',
		preset,
		secrets: [WHSEC.has(preset) ? 'whsec_c2VjcmV0' : 's'],
	})),
	{ type: 'publicKey', preset: 'discord', keys: ['ab'.repeat(32)] },
	{ type: 'publicKey', preset: 'aws-sns', topicArns: ['arn:aws:sns:us-east-1:123456789012:t'] },
	{
		type: 'publicKey',
		preset: 'sendgrid',
		keys: [
			'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g==',
		],
	},
]

describe('garbage in the new presets’ headers', () => {
	it('401 with the plain error body, never 5xx; no execution starts', async () => {
		const { echo } = await createExamples()
		for (const auth of AUTHS) {
			expect((await patchEndpoint(echo, { auth })).status, auth.preset).toBe(200)
			for (const value of GARBAGE) {
				const headers = Object.fromEntries(NAMES.map((n) => [n, value]))
				const res = await call(`/trigger/${echo}`, { method: 'POST', headers, body: '{"id":1}' })
				expect(res.status, `${auth.preset} ${value}`).toBe(401)
				expect(await res.json()).toEqual({ error: 'Unauthorized.' })
			}
		}
		const list = (await (await admin(`/api/executions?endpoint=${echo}`)).json()) as {
			executions: unknown[]
		}
		expect(list.executions).toEqual([])
	})
})
