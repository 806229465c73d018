/**
 * `salesforce-outbound`: receives Salesforce Outbound Messaging notifications (SOAP),
 * acknowledges each one the way Salesforce requires, and turns it into records.
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging.htm
 * @module
 */
import { defineFlow, defineIntegration } from '../define'
import { parseOutboundMessage } from './outbound-message'

/**
 * The FIFO lane: the first notification's record id, as the gateway parses XML (prefixes
 * kept in names, which Salesforce always writes as `soapenv:` and `sf:`). Salesforce may
 * deliver a record's messages out of order and again; a lane per record makes the
 * flow see each record's changes one at a time, in the order they arrived.
 *
 * A message with several notifications parses `Notification` as an array, which this
 * path does not reach, so such messages share the endpoint's default lane.
 */
export const RECORD_ID_LANE =
	'body:soapenv:Envelope.soapenv:Body.notifications.Notification.sObject.sf:Id'

export const notifications = defineFlow({
	description: 'Parses Salesforce outbound message notifications into records.',
	/**
	 * Salesforce resends a message until it gets this SOAP `<Ack>true</Ack>`; the gateway
	 * answers it as soon as the request is durable, before the flow runs.
	 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_listener.htm
	 */
	response: { preset: 'salesforce-ack' },
	fifo: { key: RECORD_ID_LANE },
	async onExecution(context, payload) {
		const message = await context.step('parse notifications', () =>
			parseOutboundMessage(payload.rawBody.data),
		)
		context.log.info('outbound message', {
			organizationId: message.organizationId,
			records: message.records.length,
		})
		return { records: message.records }
	},
})

export default defineIntegration({
	name: 'salesforce-outbound',
	description: 'Receives Salesforce Outbound Messaging notifications in record order.',
	flows: { notifications },
})
