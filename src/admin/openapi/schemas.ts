/**
 * The response bodies of the admin API as component schemas, written from the views the
 * routes build (`instanceView`, `publicEndpointView`, `executionView`, the integration
 * views). Closed objects: a field added to a view without its schema fails the OpenAPI
 * test that validates real responses.
 * @module
 */
import { HMAC_PRESETS, PUBLIC_KEY_PRESETS } from '../../auth'
import { REFUSAL_REASONS } from '../../endpoint/activity'
import { EXECUTION_STATUSES } from '../../endpoint/execution-record'
import { handshakeConfigSchema } from '../../handshakes'
import {
	boolean,
	dateTime,
	integer,
	mapOf,
	object,
	orNull,
	ref,
	string,
	stringArray,
	url,
} from './build'
import { ANY_JSON, type JsonSchema } from './zod-components'

const REDACTED: JsonSchema = { const: '[redacted]', description: 'A secret: never returned' }
const count = (what: string): JsonSchema => ({
	type: 'integer',
	minimum: 0,
	description: `How many ${what} are set (the values are never returned)`,
})
const jsonMap = (description: string) => mapOf(ref('JsonValue'), description)
const arrayOf = (items: JsonSchema): JsonSchema => ({ type: 'array', items })

const ENDPOINT_MODE: JsonSchema = {
	type: 'string',
	enum: ['instance-flow', 'instance', 'shared'],
	description:
		'`instance-flow`: one endpoint per flow; `instance`: one per instance; `shared`: one for every instance of the integration',
}

const hookStatus = object(
	{
		status: { type: 'string', enum: ['pending', 'running', 'retrying', 'succeeded', 'failed'] },
		attempts: integer,
		error: string,
		updatedAt: dateTime,
	},
	['error'],
)

const lifecycle = object({ deploy: ref('HookStatus'), remove: ref('HookStatus') }, [
	'deploy',
	'remove',
])

/** `instanceView`: generated API keys are shown once, in the answer to the deploy. */
function instance(apiKeys: JsonSchema, description: string): JsonSchema {
	return object(
		{
			id: string,
			integration: string,
			name: string,
			routingKey: { ...string, description: 'Shared endpoints choose this instance by this key' },
			endpointMode: ref('EndpointMode'),
			config: jsonMap('Config values; secret ones read `[redacted]`'),
			webhookUrls: mapOf(url, 'Trigger URL by flow name'),
			webhookApiKeys: apiKeys,
			endpoints: arrayOf(ref('InstanceEndpoint')),
			state: jsonMap('What the integration’s onInstanceDeploy returned'),
			lifecycle: ref('InstanceLifecycleHooks'),
			createdAt: dateTime,
			deletedAt: orNull(dateTime),
		},
		[],
		description,
	)
}

const redactedAuth: JsonSchema = {
	description: 'The endpoint’s sender authentication, secrets replaced by counts or `[redacted]`',
	oneOf: [
		object({ type: { const: 'none' } }),
		object({ type: { const: 'basic' }, username: string, password: REDACTED }),
		object({ type: { const: 'apiKey' }, header: string, keys: count('keys') }),
		object(
			{
				type: { const: 'hmac' },
				preset: { type: 'string', enum: [...HMAC_PRESETS] },
				algorithm: { type: 'string', enum: ['sha1', 'sha256', 'sha512'] },
				header: string,
				encoding: { type: 'string', enum: ['hex', 'base64'] },
				prefix: string,
				secrets: count('secrets'),
				toleranceSeconds: integer,
				publicBaseUrl: url,
			},
			['preset', 'algorithm', 'header', 'encoding', 'prefix', 'toleranceSeconds', 'publicBaseUrl'],
		),
		object(
			{
				type: { const: 'publicKey' },
				preset: { type: 'string', enum: [...PUBLIC_KEY_PRESETS] },
				keys: { ...stringArray, description: 'Public keys are not secret: shown as configured' },
				topicArns: stringArray,
				toleranceSeconds: integer,
			},
			['keys', 'topicArns', 'toleranceSeconds'],
		),
	],
}

/** Handshakes with options, as the API shows them; every other type is just its `type`. */
const HANDSHAKE_OPTIONS: Record<string, Record<string, JsonSchema>> = {
	meta: { verifyToken: REDACTED },
	zoom: { secretToken: REDACTED },
	twitter: { consumerSecret: REDACTED },
	strava: { verifyToken: REDACTED },
	'aws-sns': { topicArns: stringArray },
	websub: { topics: stringArray },
}

const redactedHandshake: JsonSchema = {
	description: 'A sender handshake the endpoint answers, secrets redacted',
	oneOf: handshakeConfigSchema.options.map((option) => {
		const type = option.shape.type.value
		const fields = HANDSHAKE_OPTIONS[type] ?? {}
		return object({ type: { const: type }, ...fields }, type === 'websub' ? ['topics'] : [])
	}),
}

const endpoint = object(
	{
		id: string,
		url: { ...url, description: 'The trigger URL' },
		integration: string,
		integrationVersion: {
			...orNull(integer),
			description:
				'The version of the data integration the endpoint runs; null for a code integration',
		},
		endpointMode: ref('EndpointMode'),
		flow: { ...orNull(string), description: 'null where the flow is chosen per request' },
		instanceId: { ...orNull(string), description: 'null for a shared endpoint' },
		instances: { ...integer, description: 'Shared endpoints only: how many instances it serves' },
		auth: ref('EndpointAuth'),
		rateLimit: object({ requestsPerSecond: integer }),
		fifo: {
			description: '`true`: one at a time in order; `{ key }`: ordered lanes by a selector',
			anyOf: [boolean, object({ key: string })],
		},
		mode: { type: 'string', enum: ['async', 'sync'] },
		response: orNull(ref('CustomResponse')),
		handshakes: arrayOf(ref('EndpointHandshake')),
		maxBodyBytes: integer,
		idempotencyHeader: orNull(string),
		allowedIps: {
			...stringArray,
			description: 'Client address ranges (CIDR) allowed to send; empty: any address',
		},
		createdAt: dateTime,
		updatedAt: dateTime,
	},
	['instances'],
)

const execution = object(
	{
		id: string,
		endpointId: string,
		instanceId: string,
		flow: string,
		status: ref('ExecutionStatus'),
		sequence: { ...integer, description: 'Order of acceptance on its endpoint' },
		attempts: integer,
		receivedAt: dateTime,
		startedAt: orNull(dateTime),
		finishedAt: orNull(dateTime),
		error: { ...string, description: 'Why it failed (last attempt)' },
		attemptErrors: arrayOf(ref('AttemptError')),
		steps: arrayOf(ref('StepRecord')),
		logs: arrayOf(ref('LogRecord')),
		resultUrl: {
			...url,
			description: 'Where the result is served (unguessable, expires); absent without a result',
		},
		request: object({
			method: string,
			pathFragment: string,
			contentType: string,
			size: { ...integer, description: 'Body size in bytes' },
			deliveryId: orNull(string),
		}),
		synchronous: boolean,
		lane: {
			...orNull(string),
			description: "FIFO lane key ('' is the default lane); null unless the endpoint is FIFO",
		},
		replayOf: { ...orNull(string), description: 'The execution this one replays' },
		integrationVersion: {
			...orNull(integer),
			description:
				'The version of the data integration the execution ran (its last attempt); null for a code integration',
		},
	},
	['error', 'resultUrl'],
)

const configDeclarations = mapOf(ref('ConfigVariable'), 'Config declarations by key')

/** `GET /api/integrations/{name}` of an integration written through the API. */
const dataIntegration = object(
	{
		name: string,
		source: { const: 'api' },
		version: { ...integer, description: '1 when created; every change adds one' },
		description: string,
		config: configDeclarations,
		endpointMode: ref('EndpointMode'),
		flowSelector: string,
		instanceSelector: string,
		flows: mapOf(ref('DataFlow'), 'Flows by name; handshake secrets redacted'),
		createdAt: dateTime,
		updatedAt: dateTime,
	},
	['description', 'config', 'endpointMode', 'flowSelector', 'instanceSelector'],
)

/** `GET /api/integrations/{name}` of a code integration: its flows are code, so names only. */
const codeIntegration = object(
	{
		name: string,
		source: { const: 'code' },
		description: string,
		config: configDeclarations,
		endpointMode: ref('EndpointMode'),
		flows: stringArray,
	},
	['description', 'config', 'endpointMode'],
)

const nonNegative: JsonSchema = { ...integer, minimum: 0 }
const refusalCounts = {
	unauthorized: { ...nonNegative, description: '401s' },
	forbidden: { ...nonNegative, description: '403s (IP allowlist)' },
	rateLimited: { ...nonNegative, description: '429s' },
	filtered: { ...nonNegative, description: 'Requests a flow’s filter dropped' },
	reasons: object(
		Object.fromEntries(REFUSAL_REASONS.map((r) => [r, nonNegative])),
		[],
		'Why the 401s and 403s were given (never told to the sender)',
	),
}

export const responseSchemas: Record<string, JsonSchema> = {
	RefusalTotals: object({ admitted: nonNegative, ...refusalCounts }),
	ActivityMinute: object({ minute: dateTime, admitted: nonNegative, ...refusalCounts }),
	EndpointActivity: object({
		totals: ref('RefusalTotals'),
		minutes: arrayOf(ref('ActivityMinute')),
	}),
	Capture: object(
		{
			id: { ...string, format: 'uuid' },
			type: string,
			name: { ...string, description: 'The provider’s name for the value' },
			capturedAt: dateTime,
			fingerprint: { ...string, description: 'First 12 hex digits of the value’s SHA-256' },
		},
		[],
		'A value a sender handshake handed over; its value is shown only by `reveal`',
	),
	CaptureList: object({ captures: arrayOf(ref('Capture')) }),
	CaptureValue: object({ value: string }),
	Error: object({ error: string }, [], 'Every error: `{"error": "<message>"}`'),
	JsonValue: ANY_JSON,
	EndpointMode: ENDPOINT_MODE,
	HookStatus: hookStatus,
	InstanceLifecycleHooks: lifecycle,
	InstanceEndpoint: object({ id: string, flow: string, url }),
	Instance: instance(
		mapOf({ ...integer, minimum: 0 }, 'How many API keys each flow has'),
		'An instance; API keys are counted, never shown again after the deploy',
	),
	DeployedInstance: instance(
		mapOf(stringArray, 'The generated API keys by flow: shown this once'),
		'The instance just deployed, with its generated API keys',
	),
	InstanceList: object({ instances: arrayOf(ref('Instance')) }),
	InstanceLifecycle: object({
		id: string,
		deletedAt: orNull(dateTime),
		lifecycle: ref('InstanceLifecycleHooks'),
		state: jsonMap('What the integration’s onInstanceDeploy returned'),
	}),
	EndpointAuth: redactedAuth,
	EndpointHandshake: redactedHandshake,
	Endpoint: endpoint,
	ExecutionStatus: { type: 'string', enum: [...EXECUTION_STATUSES] },
	AttemptError: object({ attempt: integer, error: string, at: dateTime }),
	StepRecord: object(
		{
			name: string,
			startedAt: dateTime,
			finishedAt: dateTime,
			durationMs: { type: 'number' },
			output: ref('JsonValue'),
			error: string,
		},
		['output', 'error'],
	),
	LogRecord: object(
		{
			level: { type: 'string', enum: ['info', 'warn', 'error'] },
			message: string,
			at: dateTime,
			data: ref('JsonValue'),
		},
		['data'],
	),
	Execution: execution,
	ExecutionList: object({
		executions: arrayOf(ref('Execution')),
		nextCursor: { ...orNull(string), description: 'Pass as `cursor` for the next page' },
	}),
	ExecutionAccepted: object({ executionId: string }),
	BulkReplayResult: object({
		executionIds: { ...stringArray, description: 'The new executions, oldest source first' },
		replayed: integer,
		skipped: { ...stringArray, description: 'Executions with no stored request to replay' },
	}),
	IntegrationSummary: {
		oneOf: [
			object({ name: string, source: { const: 'code' }, flows: stringArray }),
			object({ name: string, source: { const: 'api' }, version: integer, flows: stringArray }),
		],
	},
	IntegrationList: arrayOf(ref('IntegrationSummary')),
	DataIntegration: dataIntegration,
	CodeIntegration: codeIntegration,
	Integration: { oneOf: [ref('CodeIntegration'), ref('DataIntegration')] },
	TriggerFiltered: object(
		{ filtered: { const: true } },
		[],
		'The flow’s filter rejected the request: no execution',
	),
	ResultPending: object({ executionId: string, status: ref('ExecutionStatus') }),
}
