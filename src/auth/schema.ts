/**
 * Auth config as accepted by the admin API and stored on an endpoint.
 * @module
 */
import { z } from 'zod'
import { standardWebhooksKey } from './providers/standard-webhooks-key'
import { ed25519PublicKey, p256PublicKey } from './public-key/keys'

const secretList = z.array(z.string().min(1).max(1024)).min(1).max(10)

// Headers.get throws on a name that is not an RFC 9110 token, so refuse it at config time.
const headerName = z
	.string()
	.min(1)
	.max(128)
	.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name')

/** Provider presets, each implementing exactly its provider's documented scheme. */
export const HMAC_PRESETS = [
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
	'mux',
	'line',
	'razorpay',
	'coinbase-commerce',
	'box',
	'pagerduty',
	'linear',
	'clerk',
	'resend',
	'calendly',
	'twitch',
	'webflow',
	'zendesk',
	'typeform',
	'notion',
	'asana',
	'dropbox',
	'vercel',
	'bitbucket',
	'lemon-squeezy',
	'woocommerce',
	'intercom',
	'trello',
	'sentry',
	'docusign',
	'gitlab',
] as const

export type HmacPreset = (typeof HMAC_PRESETS)[number]

/** Presets whose secrets are Standard Webhooks `whsec_` keys (checked on write). */
const WHSEC_PRESETS: ReadonlySet<HmacPreset> = new Set([
	'standard-webhooks',
	'svix',
	'clerk',
	'resend',
])

/** The fields that describe a generic scheme; a preset fixes all of them itself. */
const GENERIC_FIELDS = ['algorithm', 'header', 'encoding', 'prefix'] as const

/**
 * What names an HMAC scheme: a preset, or the generic scheme's fields. Shared with the
 * auth defaults of integration flows, which name their secret in config instead.
 */
export const HMAC_SCHEME_FIELDS = {
	preset: z.enum(HMAC_PRESETS).optional(),
	algorithm: z.enum(['sha1', 'sha256', 'sha512']).optional(),
	header: headerName.optional(),
	encoding: z.enum(['hex', 'base64']).optional(),
	prefix: z.string().max(64).optional(),
}

const hmacSchema = z
	.object({
		type: z.literal('hmac'),
		...HMAC_SCHEME_FIELDS,
		secrets: secretList,
		toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
		publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
	})
	.strict()
	.superRefine((config, ctx) => {
		if (!config.preset) {
			if (!config.header) {
				ctx.addIssue({
					code: 'custom',
					path: ['header'],
					message: 'header is required unless a preset is given',
				})
			}
			return
		}
		for (const field of GENERIC_FIELDS) {
			if (config[field] !== undefined) {
				ctx.addIssue({
					code: 'custom',
					path: [field],
					message: `${field} is fixed by the ${config.preset} preset`,
				})
			}
		}
		if (WHSEC_PRESETS.has(config.preset)) {
			config.secrets.forEach((secret, i) => {
				if (!standardWebhooksKey(secret)) {
					ctx.addIssue({
						code: 'custom',
						path: ['secrets', i],
						message: 'must be whsec_ followed by base64 (or the base64 alone)',
					})
				}
			})
		}
	})

/**
 * Asymmetric presets: the endpoint holds the provider's public key, not a shared secret;
 * for `aws-sns` Amazon's certificate is fetched and the config lists the topics accepted.
 */
export const PUBLIC_KEY_PRESETS = ['discord', 'sendgrid', 'aws-sns'] as const

export type PublicKeyPreset = (typeof PUBLIC_KEY_PRESETS)[number]
/** The presets configured with the provider's public key itself. */
export type KeyedPreset = Exclude<PublicKeyPreset, 'aws-sns'>

// arn:<partition>:sns:<region>:<account>:<topic>, as AWS defines topic names.
const TOPIC_ARN = /^arn:aws(?:-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/

/** Each preset's key exactly as its provider shows it; anything else is refused on write. */
const PUBLIC_KEY_FORMATS: Record<KeyedPreset, { valid(key: string): boolean; hint: string }> = {
	discord: {
		valid: (key) => ed25519PublicKey(key) !== null,
		hint: 'must be the application public key: 64 hex digits (Ed25519)',
	},
	sendgrid: {
		valid: (key) => p256PublicKey(key) !== null,
		hint: 'must be the verification key: base64 of a P-256 public key (ECDSA)',
	},
}

const publicKeySchema = z
	.object({
		type: z.literal('publicKey'),
		preset: z.enum(PUBLIC_KEY_PRESETS),
		keys: z.array(z.string().min(1).max(1024)).min(1).max(10).optional(),
		topicArns: z
			.array(z.string().regex(TOPIC_ARN, 'must be an SNS topic ARN'))
			.min(1)
			.max(10)
			.optional(),
		toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
	})
	.strict()
	.superRefine((config, ctx) => {
		const issue = (path: Array<string | number>, message: string) =>
			ctx.addIssue({ code: 'custom', path, message })
		if (config.preset === 'aws-sns') {
			if (config.keys) issue(['keys'], "aws-sns takes topicArns: Amazon's certificate is fetched")
			if (!config.topicArns) issue(['topicArns'], 'the SNS topics to accept are required')
			return
		}
		if (config.topicArns) issue(['topicArns'], `topicArns are for aws-sns, not ${config.preset}`)
		if (!config.keys) return issue(['keys'], 'the public keys are required')
		const format = PUBLIC_KEY_FORMATS[config.preset]
		config.keys.forEach((key, i) => {
			if (!format.valid(key)) issue(['keys', i], format.hint)
		})
	})

export const authConfigSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('none') }).strict(),
	z
		.object({
			type: z.literal('basic'),
			// RFC 7617: the user-id cannot contain a colon, so such a username could never log in.
			username: z
				.string()
				.min(1)
				.max(256)
				.refine((u) => !u.includes(':'), 'must not contain ":"'),
			password: z.string().min(1).max(1024),
		})
		.strict(),
	z
		.object({
			type: z.literal('apiKey'),
			header: headerName.default('api-key'),
			keys: secretList,
		})
		.strict(),
	hmacSchema,
	publicKeySchema,
])

export type AuthConfig = z.infer<typeof authConfigSchema>
export type HmacConfig = Extract<AuthConfig, { type: 'hmac' }>
export type PublicKeyConfig = Extract<AuthConfig, { type: 'publicKey' }>

/** The config as the admin API shows it: every secret replaced by a count. */
export function redactAuthConfig(config: AuthConfig): Record<string, unknown> {
	switch (config.type) {
		case 'none':
			return { type: 'none' }
		case 'basic':
			return { type: 'basic', username: config.username, password: '[redacted]' }
		case 'apiKey':
			return { type: 'apiKey', header: config.header, keys: config.keys.length }
		case 'hmac': {
			const { secrets, ...rest } = config
			return { ...rest, secrets: secrets.length }
		}
		// Public keys are not secret: shown as configured, so operators can compare them.
		case 'publicKey':
			return { ...config }
	}
}
