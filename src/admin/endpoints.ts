/**
 * `/api/endpoints`: read and change an endpoint's config; bulk replay.
 * @module
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { activityTotals } from '../endpoint/activity'
import { type EndpointPatch, endpointPatchSchema, publicEndpointView } from '../endpoint/config'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { GatewayError } from '../lib/errors'
import { publicOrigin, triggerUrl } from '../lib/urls'
import { MAX_PAGE_SIZE } from '../limits'
import { invalidateEndpoint } from '../trigger/config-cache'
import { notFound } from './errors'
import { bulkReplay } from './replay'
import { validate } from './validate'

export const endpointRoutes = new Hono<{ Bindings: Env }>()

const endpointIdParam = z.object({ id: z.string().regex(/^[a-z2-7]{26}$/, 'not an endpoint id') })

endpointRoutes.get('/:id', validate('param', endpointIdParam), async (c) => {
	const { id } = c.req.valid('param')
	const config = await endpointStub(c.env, id).getConfig()
	if (!config) throw notFound('Endpoint')
	return c.json(publicEndpointView(config, triggerUrl(publicOrigin(c.env, c.req.url), id)))
})

/**
 * Requests admitted and turned away per minute, with why each 401 and 403 was given
 * (`reasons`): what the operator needs to answer "why does my webhook get 401?". Kept in
 * the endpoint's memory for the last hour (a restart of the object starts it afresh).
 */
endpointRoutes.get(
	'/:id/activity',
	validate('param', endpointIdParam),
	validate('query', z.object({ minutes: z.coerce.number().int().min(1).max(60).default(60) })),
	async (c) => {
		const { id } = c.req.valid('param')
		const stub = endpointStub(c.env, id)
		if (!(await stub.getConfig())) throw notFound('Endpoint')
		const minutes = await stub.activity(c.req.valid('query').minutes)
		return c.json({ totals: activityTotals(minutes), minutes })
	},
)

const captureParam = endpointIdParam.extend({ capture: z.uuid() })

/**
 * Values sender handshakes handed over (Asana's `X-Hook-Secret`, Notion's
 * `verification_token`): listed without their values, shown on request, or adopted as one
 * of the endpoint's HMAC secrets.
 */
endpointRoutes.get('/:id/captures', validate('param', endpointIdParam), async (c) => {
	const { id } = c.req.valid('param')
	const stub = endpointStub(c.env, id)
	if (!(await stub.getConfig())) throw notFound('Endpoint')
	return c.json({ captures: await stub.captures() })
})

endpointRoutes.post('/:id/captures/:capture/reveal', validate('param', captureParam), async (c) => {
	const { id, capture } = c.req.valid('param')
	const value = await endpointStub(c.env, id).revealCapture(capture)
	if (value === null) throw notFound('Capture')
	c.header('cache-control', 'no-store')
	return c.json({ value })
})

endpointRoutes.post(
	'/:id/captures/:capture/adopt',
	validate('param', captureParam),
	validate('query', z.object({ replace: z.enum(['true', 'false']).default('false') })),
	async (c) => {
		const { id, capture } = c.req.valid('param')
		const replace = c.req.valid('query').replace === 'true'
		const outcome = await endpointStub(c.env, id).adoptCapture(capture, replace)
		if (outcome === 'not_found') throw notFound('Capture')
		if (outcome === 'not_hmac')
			throw new GatewayError(
				409,
				'bad_request',
				'Only an endpoint with HMAC auth can adopt a capture: set its auth first.',
			)
		if (outcome === 'full')
			throw new GatewayError(409, 'bad_request', 'The endpoint already has 10 secrets.')
		invalidateEndpoint(id)
		const config = await endpointStub(c.env, id).getConfig()
		if (!config) throw notFound('Endpoint')
		return c.json(publicEndpointView(config, triggerUrl(publicOrigin(c.env, c.req.url), id)))
	},
)

/** Framing and hop-by-hop headers belong to the HTTP layer, and the execution id to the gateway. */
const RESERVED_RESPONSE_HEADERS = new Set([
	'content-length',
	'transfer-encoding',
	'connection',
	'keep-alive',
	'proxy-connection',
	'te',
	'trailer',
	'upgrade',
	'triggerflare-execution-id',
])

function validHeaderValue(value: string): boolean {
	try {
		new Headers().set('x', value)
		return true
	} catch {
		return false
	}
}

/**
 * A custom response is built for every accepted request, after the request is recorded:
 * anything the runtime would refuse to put in a Response must be refused here, or every
 * delivery would be accepted and answered 500.
 */
function customResponseProblem(response: EndpointPatch['response']): string | null {
	if (!response || 'preset' in response) return null
	if (!validHeaderValue(response.contentType))
		return 'response.contentType: not a valid HTTP header value'
	for (const [name, value] of Object.entries(response.headers)) {
		if (RESERVED_RESPONSE_HEADERS.has(name))
			return `response.headers.${name}: set by the gateway, cannot be configured`
		if (!validHeaderValue(value)) return `response.headers.${name}: not a valid HTTP header value`
	}
	return null
}

endpointRoutes.patch(
	'/:id',
	validate('param', endpointIdParam),
	validate('json', endpointPatchSchema),
	async (c) => {
		const { id } = c.req.valid('param')
		const patch = c.req.valid('json')
		const problem = customResponseProblem(patch.response)
		if (problem) throw new GatewayError(400, 'bad_request', `Invalid request: ${problem}`)
		const config = await endpointStub(c.env, id).patch(patch)
		invalidateEndpoint(id)
		if (!config) throw notFound('Endpoint')
		return c.json(publicEndpointView(config, triggerUrl(publicOrigin(c.env, c.req.url), id)))
	},
)

export const bulkReplaySchema = z
	.object({
		status: z.enum(['failed', 'succeeded']).default('failed'),
		from: z.iso.datetime().optional(),
		to: z.iso.datetime().optional(),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
	})
	.strict()

/** Replays an endpoint's failed (or succeeded) executions received in [from, to]. */
endpointRoutes.post(
	'/:id/replay',
	validate('param', endpointIdParam),
	validate('json', bulkReplaySchema),
	async (c) => {
		const { id } = c.req.valid('param')
		const q = c.req.valid('json')
		const { executionIds, skipped } = await bulkReplay(c.env, id, {
			status: q.status,
			limit: q.limit,
			...(q.from ? { from: Date.parse(q.from) } : {}),
			...(q.to ? { to: Date.parse(q.to) } : {}),
		})
		return c.json({ executionIds, replayed: executionIds.length, skipped }, 202)
	},
)
