/**
 * The public side of the gateway, described so a client (or a test harness) can be
 * generated for it too: trigger URLs, where senders deliver webhooks, and result URLs,
 * where synchronous callers are redirected. Both live at the origin, not under `/api`,
 * and take no admin token.
 * @module
 */
import { header, json, pathParam, ref, response } from './build'

const EXECUTION_ID = 'triggerflare-execution-id'

const executionIdHeader = { [EXECUTION_ID]: header('The execution this request started') }
const retryAfter = { 'Retry-After': header('Seconds to wait before retrying', { type: 'integer' }) }
const location = (what: string) => ({ Location: header(what, { type: 'string', format: 'uri' }) })

const triggerError = (description: string, headers?: Record<string, unknown>) =>
	json(description, 'Error', headers)

/**
 * What every delivering method answers (the SPEC's table), as shared responses: ten
 * operations refer to them.
 */
export const triggerResponses = {
	TriggerAccepted: {
		description:
			'Accepted (asynchronous): `{"executionId"}`; or filtered out by the flow: `{"filtered": true}`. An endpoint with a custom response, a flow’s onTrigger or a handshake answers with its own status, content type and body instead.',
		headers: executionIdHeader,
		content: {
			'application/json': {
				schema: { oneOf: [ref('ExecutionAccepted'), ref('TriggerFiltered')] },
			},
			'*/*': { schema: {} },
		},
	},
	TriggerPending: json(
		'Synchronous, and the flow outlived the wait: the result will appear at `Location`',
		'ExecutionAccepted',
		{
			...executionIdHeader,
			...location('The result URL'),
		},
	),
	TriggerRedirect: {
		description:
			'Synchronous and finished: follow `Location` (GET) for the flow’s result. Empty body.',
		headers: { ...executionIdHeader, ...location('The result URL') },
	},
	TriggerBadRequest: triggerError(
		'Malformed body (`Received malformed JSON payload.`, `Received malformed XML payload.`), or a synchronous flow threw (its message)',
	),
	TriggerUnauthorized: triggerError(
		'Missing or wrong credentials or signature (never says which)',
		{
			'WWW-Authenticate': header('Basic authentication only: the realm to log in to'),
		},
	),
	TriggerForbidden: triggerError('Source address not in the endpoint’s allowlist: `Forbidden.`'),
	TriggerNotFound: triggerError('Unknown or deleted endpoint'),
	TriggerTooLarge: triggerError('Body over the endpoint’s size limit'),
	TriggerRateLimited: triggerError(
		'Over the endpoint’s rate (requests per rolling second)',
		retryAfter,
	),
	TriggerHeadersTooLarge: triggerError('Headers too large to carry to the runner'),
	TriggerUnavailable: triggerError(
		'Could not be made durable: nothing was accepted, retry',
		retryAfter,
	),
}

const STATUS_OF: Record<keyof typeof triggerResponses, number> = {
	TriggerAccepted: 200,
	TriggerPending: 202,
	TriggerRedirect: 303,
	TriggerBadRequest: 400,
	TriggerUnauthorized: 401,
	TriggerForbidden: 403,
	TriggerNotFound: 404,
	TriggerTooLarge: 413,
	TriggerRateLimited: 429,
	TriggerHeadersTooLarge: 431,
	TriggerUnavailable: 503,
}

const deliveryResponses = Object.fromEntries(
	Object.entries(STATUS_OF).map(([name, status]) => [status, response(name)]),
)

const deliveryParameters = [
	{
		name: 'triggerflare-synchronous',
		in: 'header',
		required: false,
		description: '`true`: wait for the flow, then 303 to its result',
		schema: { type: 'string', enum: ['true'] },
	},
	{
		name: 'idempotency-key',
		in: 'header',
		required: false,
		description: 'A delivery id: a repeat within 24 hours gets the original execution’s answer',
		schema: { type: 'string' },
	},
]

const anyBody = {
	required: false,
	description: 'Any body: JSON, XML, form, multipart, text or bytes',
	content: { '*/*': { schema: {} } },
}

function delivery(method: string, withBody: boolean) {
	return {
		operationId: `trigger${method}`,
		tags: ['trigger'],
		security: [],
		summary: `Deliver a webhook (${method.toUpperCase()})`,
		parameters: deliveryParameters,
		...(withBody ? { requestBody: anyBody } : {}),
		responses: deliveryResponses,
	}
}

function triggerPath(suffix: string, parameters: unknown[]) {
	const id = suffix ? 'WithPath' : ''
	const operation = (method: string, withBody: boolean) => ({
		...delivery(method, withBody),
		operationId: `trigger${method}${id}`,
	})
	return {
		parameters,
		get: operation('Get', false),
		post: operation('Post', true),
		put: operation('Put', true),
		patch: operation('Patch', true),
		delete: operation('Delete', true),
		head: {
			operationId: `probeTrigger${id}`,
			tags: ['trigger'],
			security: [],
			summary: 'Probe: does the endpoint exist? No execution, no rate budget',
			responses: {
				200: { description: 'The endpoint exists' },
				404: { description: 'Unknown or deleted endpoint' },
			},
		},
		options: {
			operationId: `triggerOptions${id}`,
			tags: ['trigger'],
			security: [],
			summary: 'The methods a trigger URL accepts',
			responses: {
				204: {
					description: 'No content',
					headers: { Allow: header('`GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS`') },
				},
			},
		},
	}
}

export function publicPaths(origin: string) {
	const servers = [{ url: origin, description: 'The gateway’s origin (not under /api)' }]
	const endpointId = pathParam('endpointId', 'Endpoint id', '^[a-z2-7]{26}$')
	return {
		'/trigger/{endpointId}': {
			servers,
			...triggerPath('', [endpointId]),
		},
		'/trigger/{endpointId}/{path}': {
			servers,
			...triggerPath('/{path}', [
				endpointId,
				pathParam('path', 'The rest of the path (may hold `/`): the payload’s `pathFragment`'),
			]),
		},
		'/results/{executionId}/{token}': {
			servers,
			parameters: [
				pathParam('executionId', 'Execution id'),
				pathParam('token', 'The unguessable token of the result URL'),
			],
			get: {
				operationId: 'getResult',
				tags: ['results'],
				summary: 'A flow’s result, with its content type (the URL a synchronous call redirects to)',
				security: [],
				responses: {
					200: {
						description: 'The result (the flow’s return value or its last step’s output)',
						headers: executionIdHeader,
						content: { '*/*': { schema: {} } },
					},
					TriggerPending: json('No result yet: the execution is still running', 'ResultPending', {
						'Retry-After': header('Seconds to wait', { type: 'integer' }),
					}),
					404: json('Unknown, wrong token, or expired: `Result not found or expired.`', 'Error'),
				},
			},
		},
	}
}
