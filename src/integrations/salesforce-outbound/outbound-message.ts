/**
 * Reads a Salesforce Outbound Messaging `notifications()` SOAP message. Pure.
 *
 * The shape (one `Notification` per record, up to 100 per message):
 *
 * ```xml
 * <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
 *     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 *  <soapenv:Body>
 *   <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
 *    <OrganizationId>00D…</OrganizationId>
 *    <ActionId>04k…</ActionId>
 *    <SessionId xsi:nil="true"/>
 *    <EnterpriseUrl>https://…/services/Soap/c/…</EnterpriseUrl>
 *    <PartnerUrl>https://…/services/Soap/u/…</PartnerUrl>
 *    <Notification>
 *     <Id>04l…</Id>
 *     <sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
 *      <sf:Id>003…</sf:Id>
 *      <sf:Email>ada@example.com</sf:Email>
 *     </sObject>
 *    </Notification>
 *   </notifications>
 *  </soapenv:Body>
 * </soapenv:Envelope>
 * ```
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_wsdl.htm
 * @see https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_notifications.htm
 * @module
 */
import { XMLParser } from 'fast-xml-parser'
import type { Json } from '../../lib/json'

export interface SalesforceRecord {
	/** The record's id (`sf:Id`). */
	id: string
	/** The sObject type, e.g. `Contact` (from `xsi:type="sf:Contact"`). */
	type: string
	/** The notification's own id: Salesforce may deliver it again, so dedupe on it. */
	notificationId: string
	/** The fields the outbound message was set up to send, as text; `xsi:nil` is null. */
	fields: Record<string, Json>
}

export interface OutboundMessage {
	organizationId: string
	actionId: string
	records: SalesforceRecord[]
}

/**
 * The gateway's generic XML parse turns numeric-looking text into numbers (a postal code
 * `01234` becomes 1234), so the message is read again from its bytes with every value
 * kept as text. Namespace prefixes are the sender's choice and are dropped; entities are
 * not expanded by the parser (no DOCTYPE tricks), only the predefined ones are decoded.
 */
const parser = new XMLParser({
	ignoreAttributes: false,
	attributeNamePrefix: '@_',
	removeNSPrefix: true,
	parseTagValue: false,
	parseAttributeValue: false,
	processEntities: false,
	htmlEntities: false,
	ignoreDeclaration: true,
	ignorePiTags: true,
	trimValues: true,
	isArray: (_name, jpath) => jpath === 'Envelope.Body.notifications.Notification',
})

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decodeEntities(text: string): string {
	return text.replace(
		/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/gi,
		(all, hex, dec, name) => {
			if (name) return PREDEFINED[name.toLowerCase()] ?? all
			const code = Number.parseInt(hex ?? dec, hex ? 16 : 10)
			return code <= 0x10ffff ? String.fromCodePoint(code) : all
		},
	)
}

type Node = Record<string, unknown>
const isNode = (value: unknown): value is Node =>
	value !== null && typeof value === 'object' && !Array.isArray(value)

function text(value: unknown): string {
	return typeof value === 'string' ? decodeEntities(value) : ''
}

function fieldValue(value: unknown): Json {
	if (typeof value === 'string') return decodeEntities(value)
	if (isNode(value) && value['@_nil'] === 'true') return null
	if (isNode(value)) {
		const out: Record<string, Json> = {}
		for (const [key, inner] of Object.entries(value)) {
			if (!key.startsWith('@_')) out[key] = fieldValue(inner)
		}
		return out
	}
	return null
}

function record(notification: unknown): SalesforceRecord {
	const n = isNode(notification) ? notification : {}
	const sObject = isNode(n.sObject) ? n.sObject : {}
	const fields: Record<string, Json> = {}
	for (const [key, value] of Object.entries(sObject)) {
		if (key !== 'Id' && !key.startsWith('@_')) fields[key] = fieldValue(value)
	}
	const type = text(sObject['@_type'])
	return {
		id: text(sObject.Id),
		type: type.slice(type.indexOf(':') + 1),
		notificationId: text(n.Id),
		fields,
	}
}

/** Throws when the bytes are not an outbound message, so the execution fails visibly. */
export function parseOutboundMessage(bytes: Uint8Array): OutboundMessage {
	const doc: unknown = parser.parse(new TextDecoder().decode(bytes))
	const body = isNode(doc) && isNode(doc.Envelope) ? doc.Envelope.Body : undefined
	const notifications = isNode(body) ? body.notifications : undefined
	if (!isNode(notifications)) {
		throw new Error('Not a Salesforce outbound message: no soapenv:Body/notifications element.')
	}
	const list = Array.isArray(notifications.Notification) ? notifications.Notification : []
	return {
		organizationId: text(notifications.OrganizationId),
		actionId: text(notifications.ActionId),
		records: list.map(record),
	}
}
