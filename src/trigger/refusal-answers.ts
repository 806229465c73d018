/**
 * The trigger route's refusals, as the SPEC words them. Messages never echo arbitrary
 * input back, and never say why authentication failed.
 * @module
 */
import {
	GatewayError,
	jsonError,
	MALFORMED_JSON,
	MALFORMED_XML,
	rateLimitedMessage,
} from '../lib/errors'
import { isEndpointId } from '../lib/ids'
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../limits'
import type { Saturation } from './saturation'

export const PARSE_ERRORS = {
	json: MALFORMED_JSON,
	xml: MALFORMED_XML,
	multipart: 'Received malformed multipart payload.',
	form: 'Received malformed form payload.',
} as const

/** A body the sender did not finish: nothing was accepted, so the sender can simply retry. */
export const INCOMPLETE_BODY = {
	short:
		'Request body could not be read: the connection closed before Content-Length bytes arrived.',
	aborted: 'Request body could not be read: the connection closed before the body was complete.',
} as const

export const unavailable = (internalMessage: string, cause?: unknown) =>
	new GatewayError(503, 'unavailable', 'Service temporarily unavailable; please retry.', {
		headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
		internalMessage,
		cause,
	})

/** Names the endpoint only when the id is well-formed: never echo arbitrary input back. */
export const notFound = (endpointId: string) =>
	new GatewayError(
		404,
		'not_found',
		isEndpointId(endpointId)
			? `Endpoint with id: ${endpointId} was not found.`
			: 'Endpoint not found.',
	)

export const rateLimited = (endpointId: string, refusal: Saturation) =>
	jsonError(429, rateLimitedMessage(endpointId, refusal.limit), {
		'retry-after': String(Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))),
	})

export const forbidden = () => new GatewayError(403, 'forbidden', 'Forbidden.').getResponse()
