/**
 * Auth config as accepted by the admin API and stored on an endpoint.
 * @module
 */
import { z } from 'zod'

const secretList = z.array(z.string().min(1).max(1024)).min(1).max(10)

export const authConfigSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('none') }).strict(),
	z
		.object({
			type: z.literal('basic'),
			username: z.string().min(1).max(256),
			password: z.string().min(1).max(1024),
		})
		.strict(),
	z
		.object({
			type: z.literal('apiKey'),
			header: z.string().min(1).max(128).default('api-key'),
			keys: secretList,
		})
		.strict(),
	z
		.object({
			type: z.literal('hmac'),
			preset: z.string().min(1).max(64).optional(),
			algorithm: z.enum(['sha1', 'sha256', 'sha512']).optional(),
			header: z.string().min(1).max(128).optional(),
			encoding: z.enum(['hex', 'base64']).optional(),
			prefix: z.string().max(64).optional(),
			secrets: secretList,
			toleranceSeconds: z.number().int().min(1).max(86_400).optional(),
			publicBaseUrl: z.url().optional(),
		})
		.strict(),
])

export type AuthConfig = z.infer<typeof authConfigSchema>

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
	}
}
