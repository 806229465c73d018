/**
 * Integrations as data: the definition `PUT /api/integrations/{name}` accepts, and its
 * validation. Pure. Every JSONata expression is compiled here, so a definition that is
 * stored can run: a typo is a 400 at write time, not a failed execution later.
 * @module
 */
import jsonata from 'jsonata'
import { z } from 'zod'
import { HMAC_SCHEME_FIELDS, PUBLIC_KEY_PRESETS } from '../../auth'
import { customResponseSchema, selectorSchema } from '../../endpoint/config'
import { handshakeListSchema } from '../../handshakes'
import type { DeclarativeStep } from '../steps'

const name = z
	.string()
	.min(1)
	.max(128)
	.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be letters, digits, "_", "." or "-"')

/** A JSONata expression, compiled when the definition is written. */
const expression = z
	.string()
	.max(16 * 1024)
	.superRefine((source, ctx) => {
		try {
			jsonata(source)
		} catch (err) {
			ctx.addIssue({ code: 'custom', message: `invalid JSONata: ${(err as Error).message}` })
		}
	})

const headerName = z
	.string()
	.min(1)
	.max(128)
	.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a valid HTTP header name')

const STEP_TYPES = ['transform', 'http', 'branch', 'loop'] as const

const transformStep = z.object({ type: z.literal('transform'), name, expression }).strict()

const httpStep = z
	.object({
		type: z.literal('http'),
		name,
		method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
		url: expression,
		headers: z.record(headerName, expression).optional(),
		body: expression.optional(),
		timeoutMs: z.number().int().min(1).max(30_000).optional(),
	})
	.strict()

// Recursive (branches and loops hold steps): the schema is typed by the runner's own type.
const stepSchema: z.ZodType<DeclarativeStep> = z.lazy(() =>
	z.discriminatedUnion(
		'type',
		[
			transformStep,
			httpStep,
			z
				.object({
					type: z.literal('branch'),
					name,
					condition: expression,
					whenTrue: stepList,
					whenFalse: stepList.optional(),
				})
				.strict(),
			z.object({ type: z.literal('loop'), name, items: expression, steps: stepList }).strict(),
		],
		{
			error: (issue) =>
				issue.code === 'invalid_union'
					? `unknown step type (expected one of ${STEP_TYPES.join(', ')})`
					: undefined,
		},
	),
)

const stepList: z.ZodType<DeclarativeStep[]> = z.lazy(() => z.array(stepSchema).min(1).max(100))

const configVariableSchema = z
	.object({
		type: z.enum(['string', 'number', 'boolean', 'json']),
		description: z.string().max(1024).optional(),
		default: z.json().optional(),
		required: z.boolean().optional(),
		secret: z.boolean().optional(),
	})
	.strict()

/** The endpoint auth a flow's endpoints get at deploy; secrets are named config keys. */
const flowAuthSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('none') }).strict(),
	z.object({ type: z.literal('apiKey'), header: headerName.optional() }).strict(),
	z.object({ type: z.literal('basic'), usernameConfig: name, passwordConfig: name }).strict(),
	z.object({ type: z.literal('hmac'), ...HMAC_SCHEME_FIELDS, secretConfig: name }).strict(),
	z
		.object({
			type: z.literal('publicKey'),
			preset: z.enum(PUBLIC_KEY_PRESETS),
			keyConfig: name.optional(),
			topicArnsConfig: name.optional(),
		})
		.strict()
		.superRefine((auth, ctx) => {
			const [wanted, unwanted] =
				auth.preset === 'aws-sns'
					? (['topicArnsConfig', 'keyConfig'] as const)
					: (['keyConfig', 'topicArnsConfig'] as const)
			if (!auth[wanted])
				ctx.addIssue({ code: 'custom', path: [wanted], message: `required for ${auth.preset}` })
			if (auth[unwanted])
				ctx.addIssue({ code: 'custom', path: [unwanted], message: `not used by ${auth.preset}` })
		}),
])

const retrySchema = z
	.object({
		attempts: z.number().int().min(1).max(20),
		initialDelayMs: z.number().int().min(0).max(3_600_000),
		factor: z.number().min(1).max(10),
		maxDelayMs: z
			.number()
			.int()
			.min(0)
			.max(12 * 3_600_000),
		jitter: z.number().min(0).max(1),
	})
	.partial()
	.strict()

const dataFlowSchema = z
	.object({
		description: z.string().max(1024).optional(),
		steps: stepList,
		/** Evaluated before anything is recorded: falsy → 200 `{"filtered":true}`. */
		filter: expression.optional(),
		auth: flowAuthSchema.optional(),
		fifo: z.union([z.boolean(), z.object({ key: selectorSchema }).strict()]).optional(),
		mode: z.enum(['async', 'sync']).optional(),
		retry: retrySchema.optional(),
		response: customResponseSchema.optional(),
		handshakes: handshakeListSchema.optional(),
	})
	.strict()

export const dataIntegrationSchema = z
	.object({
		description: z.string().max(1024).optional(),
		config: z.record(name, configVariableSchema).optional(),
		endpointMode: z.enum(['instance-flow', 'instance', 'shared']).optional(),
		flowSelector: selectorSchema.optional(),
		instanceSelector: selectorSchema.optional(),
		flows: z
			.record(name, dataFlowSchema)
			.refine((flows) => Object.keys(flows).length > 0, 'at least one flow is required')
			.refine((flows) => Object.keys(flows).length <= 50, 'at most 50 flows'),
	})
	.strict()
	.superRefine((def, ctx) => {
		for (const issue of undeclaredConfigKeys(def.config, def.flows))
			ctx.addIssue({ code: 'custom', ...issue })
	})

type FlowAuth = z.infer<typeof flowAuthSchema>

/** Flow auth that names config keys the integration does not declare (its secrets would be empty). */
export function undeclaredConfigKeys(
	config: Record<string, unknown> | undefined,
	flows: Record<string, { auth?: FlowAuth | undefined }>,
): Array<{ path: string[]; message: string }> {
	const declared = config ?? {}
	const issues: Array<{ path: string[]; message: string }> = []
	for (const [flowName, flow] of Object.entries(flows)) {
		const auth = flow.auth
		if (!auth) continue
		const refs =
			auth.type === 'basic'
				? (['usernameConfig', 'passwordConfig'] as const).map((f) => [f, auth[f]] as const)
				: auth.type === 'hmac'
					? [['secretConfig', auth.secretConfig] as const]
					: auth.type === 'publicKey'
						? (['keyConfig', 'topicArnsConfig'] as const).flatMap((f) => {
								const key = auth[f]
								return key ? [[f, key] as const] : []
							})
						: []
		for (const [field, key] of refs) {
			if (!Object.hasOwn(declared, key))
				issues.push({
					path: ['flows', flowName, 'auth', field],
					message: `config key "${key}" is not declared`,
				})
		}
	}
	return issues
}

/**
 * A code flow's options, checked with the schemas the admin API uses, so that a typo in a
 * preset or handshake fails when the integration is registered, not as a 401 on every
 * request.
 */
export const flowOptionsSchema = dataFlowSchema.pick({
	filter: true,
	auth: true,
	fifo: true,
	mode: true,
	retry: true,
	response: true,
	handshakes: true,
})
export const FLOW_OPTION_KEYS = Object.keys(flowOptionsSchema.shape) as ReadonlyArray<
	keyof typeof flowOptionsSchema.shape
>

/** A definition as written through the admin API (defaults of nested schemas applied). */
export type DataIntegrationDefinition = z.infer<typeof dataIntegrationSchema>
export type DataFlowDefinition = z.infer<typeof dataFlowSchema>

/** `flows.notify.steps[1].expression`: names joined by dots, indices in brackets. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
	let out = ''
	for (const segment of path) {
		if (typeof segment === 'number') out += `[${segment}]`
		else out += out ? `.${String(segment)}` : String(segment)
	}
	return out || '(body)'
}

export type DefinitionCheck =
	| { ok: true; definition: DataIntegrationDefinition }
	| { ok: false; error: string }

/** Validates a definition; the error is the admin API's `Invalid request: <path>: <problem>`. */
export function parseDataIntegration(input: unknown): DefinitionCheck {
	const result = dataIntegrationSchema.safeParse(input)
	if (result.success) return { ok: true, definition: result.data }
	const issue = result.error.issues[0]
	if (!issue) return { ok: false, error: 'Invalid request.' }
	return { ok: false, error: `Invalid request: ${formatPath(issue.path)}: ${issue.message}` }
}

export const INTEGRATION_NAME = name
