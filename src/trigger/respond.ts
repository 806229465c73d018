/**
 * Turns the EndpointDO's decision into the HTTP answer the sender expects.
 * @module
 */
import { XMLBuilder } from 'fast-xml-parser'
import type { CustomResponse } from '../endpoint/config'
import { jsonError } from '../lib/errors'

export const EXECUTION_ID_HEADER = 'triggerflare-execution-id'

const soap = new XMLBuilder({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	suppressEmptyNode: true,
})

/**
 * Salesforce Outbound Messaging retries a message until it receives this SOAP
 * acknowledgement.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_listener.htm
 */
export const SALESFORCE_ACK = `<?xml version="1.0" encoding="UTF-8"?>${soap.build({
	'soapenv:Envelope': {
		'@_xmlns:soapenv': 'http://schemas.xmlsoap.org/soap/envelope/',
		'soapenv:Body': {
			notificationsResponse: {
				'@_xmlns': 'http://soap.sforce.com/2005/09/outbound',
				Ack: true,
			},
		},
	},
})}`

/** Statuses whose response cannot carry a body (the Response constructor throws). */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304])

export function acceptedResponse(executionId: string, custom: CustomResponse | null): Response {
	const idHeader = { [EXECUTION_ID_HEADER]: executionId }
	if (custom && 'preset' in custom) {
		return new Response(SALESFORCE_ACK, {
			status: 200,
			headers: { 'content-type': 'text/xml; charset=utf-8', ...idHeader },
		})
	}
	if (custom) {
		return new Response(NULL_BODY_STATUSES.has(custom.status) ? null : custom.body, {
			status: custom.status,
			headers: { ...custom.headers, 'content-type': custom.contentType, ...idHeader },
		})
	}
	return Response.json({ executionId }, { status: 200, headers: idHeader })
}

export function withExecutionId(response: Response, executionId: string): Response {
	response.headers.set(EXECUTION_ID_HEADER, executionId)
	return response
}

export function syncErrorResponse(executionId: string, message: string): Response {
	return withExecutionId(jsonError(400, message), executionId)
}
