/**
 * The public trigger URL: `/trigger/:endpointId` and `/trigger/:endpointId/*`.
 *
 * Checks run in the SPEC's order: unknown endpoint 404, IP allowlist 403 (before the body
 * is read), size 413/431, authentication 401, body parsing 400, then the rate window 429
 * (in the EndpointDO). Only requests that pass the first five reach the Durable Object,
 * so forged, foreign or malformed traffic never spends the endpoint's budget. A body the
 * sender did not finish sending is a 400.
 *
 * GET, POST, PUT, PATCH and DELETE deliver. HEAD is a probe (200 or 404, no body, no
 * execution), OPTIONS answers 204 with `Allow`, and any other method gets 405 with `Allow`.
 * @module
 */
import { type Context, Hono } from 'hono'
import type { AcceptOutcome } from '../endpoint/api'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { carriageOf } from '../execution/carriage'
import type { RequestEnvelope } from '../execution/message'
import { findHandshake, type HandshakeMatch, handshakeRequestFrom } from '../handshakes'
import { applyFilter } from '../integrations/filter'
import { integrationOf } from '../integrations/resolve'
import { describe, errorResponse, GatewayError, jsonError } from '../lib/errors'
import { isEndpointId } from '../lib/ids'
import { pathOf, publicOrigin } from '../lib/urls'
import { DEFAULT_SYNC_WAIT_MS } from '../limits'
import { type CachedEndpoint, loadEndpoint } from './config-cache'
import { recordOutcome } from './metrics'
import { hasOnTrigger, runOnTrigger, triggerResponse } from './on-trigger'
import { parseBody, searchParamsToObject } from './parse-body'
import { headersToObject } from './payload'
import { readBodyLimited } from './read-body'
import {
	forbidden,
	INCOMPLETE_BODY,
	notFound,
	PARSE_ERRORS,
	rateLimited,
	unavailable,
} from './refusal-answers'
import { countRefusal } from './refusals'
import { decodePathFragment, fifoLane } from './request-parts'
import { acceptedResponse, syncErrorResponse, withExecutionId } from './respond'
import { routeRequest } from './routing'
import { knownSaturation, noteSaturated } from './saturation'

export const SYNC_HEADER = 'triggerflare-synchronous'

export const triggerRoutes = new Hono<{ Bindings: Env }>()

type TriggerContext = Context<{ Bindings: Env }>

/** The methods that deliver a webhook. HEAD and OPTIONS are answered without one. */
const DELIVERY_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
export const TRIGGER_ALLOW = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'

// Every method reaches this handler (Hono routes HEAD as GET, so the raw request's method
// decides): a method that is not ours gets a 405 here rather than a 404 from the router.
triggerRoutes.all('/:endpointId/*', (c) => trigger(c))
triggerRoutes.all('/:endpointId', (c) => trigger(c))

async function trigger(c: TriggerContext): Promise<Response> {
	// Every answer, success or error, becomes one metrics data point. (Inline rather
	// than a middleware: on the 429 path the extra layer was a measurable share.)
	const started = Date.now()
	const endpointId = c.req.param('endpointId') as string
	const method = c.req.raw.method
	let response: Response
	try {
		response = DELIVERY_METHODS.has(method)
			? await handleTrigger(c, endpointId)
			: method === 'HEAD'
				? await probe(c, endpointId)
				: method === 'OPTIONS'
					? new Response(null, { status: 204, headers: { allow: TRIGGER_ALLOW } })
					: jsonError(405, `Method ${method} is not allowed on trigger URLs.`, {
							allow: TRIGGER_ALLOW,
						})
	} catch (err) {
		response = errorResponse(err)
	}
	recordOutcome(
		c.env,
		endpointId,
		method,
		response.status,
		response.headers.has('triggerflare-execution-id'),
		started,
	)
	return response
}

/** The endpoint's cached config; null for a malformed or unknown id; 503 if it cannot be read. */
async function endpointOf(env: Env, endpointId: string): Promise<CachedEndpoint | null> {
	try {
		return isEndpointId(endpointId) ? await loadEndpoint(env, endpointId) : null
	} catch (err) {
		throw unavailable(`config load failed: ${describe(err)}`, err)
	}
}

/**
 * HEAD is a probe (Trello checks a callback URL that way): 200 with no body when the
 * endpoint exists, 404 when it does not. No execution, no rate budget, no body read.
 */
async function probe(c: TriggerContext, endpointId: string): Promise<Response> {
	const endpoint = await endpointOf(c.env, endpointId)
	if (!endpoint || !integrationOf(endpoint.config)) return notFound(endpointId).getResponse()
	if (!clientAllowed(c, endpointId, endpoint)) return forbidden()
	return new Response(null, { status: 200 })
}

/**
 * The endpoint's IP allowlist, before anything of the request is read: a refused client
 * spends no rate budget and no body bytes. The reason is counted, never sent.
 */
function clientAllowed(c: TriggerContext, endpointId: string, endpoint: CachedEndpoint): boolean {
	if (!endpoint.allowlist || endpoint.allowlist(c.req.header('cf-connecting-ip') ?? null))
		return true
	countRefusal(c.env, c.executionCtx, endpointId, 'forbidden', 'ip')
	return false
}

/**
 * A handshake that hands a value over (Asana's `X-Hook-Secret`, Notion's token) is
 * answered only once the endpoint has kept it: the provider sends it once, and an answer
 * for a value that was not kept would lose it. Past the endpoint's small budget of
 * handovers a minute (anyone can send one), the request gets a 429.
 */
async function answerHandshake(
	c: TriggerContext,
	endpointId: string,
	handshake: HandshakeMatch,
): Promise<Response> {
	const env = c.env
	const capture = handshake.capture
	if (capture) {
		let kept: boolean
		try {
			kept = await endpointStub(env, endpointId).recordCapture(
				handshake.type,
				capture.name,
				capture.value,
			)
		} catch (err) {
			throw unavailable(`capture failed: ${describe(err)}`, err)
		}
		if (!kept)
			return jsonError(429, 'Too many handshakes for this endpoint; retry in a minute.', {
				'retry-after': '60',
			})
	}
	const answer = await handshake.answer()
	// A verify token that does not match (Meta, Strava) or a topic not listed (SNS) is a
	// 403 like the allowlist's: counted for the operator as a wrong credential.
	if (answer.status === 403) countRefusal(env, c.executionCtx, endpointId, 'forbidden', 'signature')
	return answer
}

/**
 * Refusals a sender can cause at will (404, 403, 413, 401, 400) are returned, not thrown: in
 * workerd an exception unwinding through this async function cost ~4% of the 401 path's
 * throughput under a flood of forged signatures. Throws are kept for our own failures
 * (503), which carry an internal message to log.
 */
async function handleTrigger(c: TriggerContext, endpointId: string): Promise<Response> {
	const env = c.env
	const request = c.req.raw

	const endpoint = await endpointOf(env, endpointId)
	if (!endpoint) return notFound(endpointId).getResponse()
	if (!clientAllowed(c, endpointId, endpoint)) return forbidden()
	const { config, authenticator } = endpoint

	const read = await readBodyLimited(request, config.maxBodyBytes)
	if (!read.ok) {
		return read.reason === 'too_large'
			? new GatewayError(
					413,
					'payload_too_large',
					`Request body exceeds this endpoint's limit of ${config.maxBodyBytes} bytes.`,
				).getResponse()
			: new GatewayError(400, 'bad_request', INCOMPLETE_BODY[read.reason]).getResponse()
	}
	const bytes = read.bytes

	// Decided before anything is accepted: a request the runner cannot receive gets a
	// 4xx now, never a 200 for an execution that could not run. The raw URL bounds the
	// decoded path fragment, which is not known yet.
	const headerPairs = [...request.headers]
	const carriage = carriageOf(
		{
			method: request.method,
			url: request.url,
			pathFragment: request.url,
			headers: headerPairs,
			contentType: request.headers.get('content-type') ?? '',
			receivedAt: 0,
		},
		bytes.byteLength,
	)
	if (!carriage.ok)
		return new GatewayError(carriage.status, 'headers_too_large', carriage.message).getResponse()

	// Sender handshakes answer at once: no execution, no rate budget. Those the provider
	// signs or authenticates (Slack, Zoom, Twitch, SNS, Okta, Google) are answered only
	// after authentication passes.
	const handshake = config.handshakes.length
		? findHandshake(config.handshakes, handshakeRequestFrom(request, bytes))
		: null
	if (handshake && !handshake.signedByProvider) return answerHandshake(c, endpointId, handshake)

	const auth = await authenticator.verify({
		method: request.method,
		url: request.url,
		headers: request.headers,
		rawBody: bytes,
		now: Date.now(),
	})
	if (!auth.ok) {
		countRefusal(env, c.executionCtx, endpointId, 'unauthorized', auth.reason ?? 'signature')
		return new GatewayError(401, 'unauthorized', 'Unauthorized.', {
			headers: auth.headers ?? {},
		}).getResponse()
	}

	if (handshake) return answerHandshake(c, endpointId, handshake)

	const contentType = request.headers.get('content-type') ?? ''
	const parsed = parseBody(bytes, contentType)
	if (!parsed.ok) {
		return new GatewayError(
			400,
			parsed.kind === 'json'
				? 'malformed_json'
				: parsed.kind === 'xml'
					? 'malformed_xml'
					: 'bad_request',
			PARSE_ERRORS[parsed.kind],
		).getResponse()
	}

	const prefix = `/trigger/${endpointId}`
	const pathFragment = decodePathFragment(pathOf(request.url).slice(prefix.length))
	if (pathFragment === null) {
		return new GatewayError(
			400,
			'bad_request',
			'Malformed percent-encoding in the URL path.',
		).getResponse()
	}

	// Which flow and instance this request is for, and what the flow's onTrigger says.
	const integration = integrationOf(config)
	if (!integration) return notFound(endpointId).getResponse()
	// Built only if routing or onTrigger reads them: most endpoints need neither.
	let headerObject: Record<string, string> | undefined
	let queryObject: Record<string, string | string[]> | undefined
	const routingInput = {
		body: { data: parsed.data, contentType },
		get headers() {
			headerObject ??= headersToObject(request.headers)
			return headerObject
		},
		get queryParameters() {
			queryObject ??= searchParamsToObject(new URL(request.url).searchParams)
			return queryObject
		},
		pathFragment,
		method: request.method,
	}
	const route = routeRequest(config, integration, routingInput)
	if (!route.ok) return new GatewayError(404, 'not_found', route.message).getResponse()
	// A request the flow's filter rejects is answered at once and recorded nowhere. One
	// whose filter fails to evaluate goes on: its run fails with the reason, on record and
	// replayable once the filter is fixed, where a refusal here would lose it.
	const filter = integration.flows[route.flow]?.filter
	if (filter !== undefined) {
		const verdict = await applyFilter(filter, routingInput, {
			config: route.instance.config,
			instance: { id: route.instance.id, name: route.instance.name },
		})
		if (verdict.kind === 'filtered') {
			countRefusal(env, c.executionCtx, endpointId, 'filtered')
			return Response.json({ filtered: true })
		}
	}
	// Awaited only when the flow has one: an await costs a turn of the microtask queue.
	const trigger = hasOnTrigger(integration, route.flow)
		? await runOnTrigger(integration, route.flow, route.instance, routingInput, {
				endpointId,
				invokeUrl: () => publicOrigin(env, request.url) + prefix,
			})
		: undefined
	if (trigger?.skip) return triggerResponse(trigger.response ?? {})

	// A window this isolate already saw full is refused here, before any R2 upload or
	// DO round trip. (A redelivery of an accepted webhook is refused too, and gets its
	// duplicate answer on the retry that Retry-After asks for.)
	const startedAt = Date.now()
	const saturated = knownSaturation(endpointId, startedAt)
	if (saturated) {
		countRefusal(env, c.executionCtx, endpointId, 'rateLimited')
		return rateLimited(endpointId, saturated)
	}
	const envelopeBase: Omit<RequestEnvelope, 'body'> = {
		method: request.method,
		url: request.url,
		pathFragment,
		headers: headerPairs,
		contentType,
		receivedAt: startedAt,
	}

	// Bodies that would not fit a queue message travel through R2 by reference.
	let r2Key: string | null = null
	if (carriage.byReference) {
		r2Key = `requests/${endpointId}/${crypto.randomUUID()}`
		try {
			await env.STORE.put(r2Key, bytes, { httpMetadata: { contentType } })
		} catch (err) {
			throw unavailable(`R2 put failed: ${describe(err)}`, err)
		}
	}
	const envelope: RequestEnvelope = {
		...envelopeBase,
		body: r2Key ? { r2Key, size: bytes.byteLength } : { inline: bytes },
	}

	const deliveryId =
		(config.idempotencyHeader ? request.headers.get(config.idempotencyHeader) : null) ??
		(auth.deliveryId || null) ??
		request.headers.get('idempotency-key')
	const laneKey = fifoLane(config.fifo, request.headers, parsed.data)
	const sync = request.headers.get(SYNC_HEADER)?.toLowerCase() === 'true' || config.mode === 'sync'
	const waitMs = Number(env.SYNC_WAIT_MS) || DEFAULT_SYNC_WAIT_MS

	let outcome: AcceptOutcome
	try {
		outcome = await endpointStub(env, endpointId).accept({
			request: envelope,
			deliveryId,
			sync,
			waitMs,
			laneKey,
			flow: route.flow,
			instanceId: route.instance.id,
		})
	} catch (err) {
		// The body stays in R2: the object may have recorded the request (with this key)
		// before the call failed, and its outbox will run it.
		throw unavailable(`accept failed: ${describe(err)}`, err)
	}
	const accepted =
		outcome.kind === 'accepted' || outcome.kind === 'finished' || outcome.kind === 'pending'
	if (r2Key && (!accepted || ('duplicate' in outcome && outcome.duplicate))) {
		c.executionCtx.waitUntil(env.STORE.delete(r2Key))
	}

	switch (outcome.kind) {
		case 'not_found':
			return notFound(endpointId).getResponse()
		case 'unavailable':
			throw unavailable('endpoint storage unavailable')
		case 'rate_limited':
			noteSaturated(endpointId, startedAt, outcome)
			return rateLimited(endpointId, outcome)
		case 'accepted':
			return trigger?.response
				? withExecutionId(triggerResponse(trigger.response), outcome.executionId)
				: acceptedResponse(outcome.executionId, config.response)
		case 'pending':
			return withExecutionId(
				Response.json(
					{ executionId: outcome.executionId },
					{
						status: 202,
						headers: { location: publicOrigin(env, request.url) + outcome.resultPath },
					},
				),
				outcome.executionId,
			)
		case 'finished':
			if (outcome.status === 'failed') {
				return syncErrorResponse(outcome.executionId, outcome.error ?? 'Flow failed.')
			}
			return withExecutionId(
				new Response(null, {
					status: 303,
					headers: {
						location: publicOrigin(env, request.url) + (outcome.resultPath ?? ''),
					},
				}),
				outcome.executionId,
			)
	}
}
