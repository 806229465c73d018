/**
 * Reading outbound messages: the parts the gateway's generic XML parse would lose.
 */
import { describe, expect, it } from 'vitest'
import { parseOutboundMessage } from '../../src/integrations/salesforce-outbound/outbound-message'

const bytes = (xml: string) => new TextEncoder().encode(xml)

describe('parseOutboundMessage', () => {
	it('keeps values as text, decodes entities, and reads xsi:nil as null, whatever the prefixes', () => {
		const xml = `<?xml version="1.0" encoding="UTF-8"?>
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">
 <S:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>00D5g000004Ab1CEAS</OrganizationId>
   <ActionId>04k5g000000Gm2TAAS</ActionId>
   <Notification>
    <Id>04l5g00000Qx1AAAAZ</Id>
    <sObject i:type="o:Account" xmlns:o="urn:sobject.enterprise.soap.sforce.com">
     <o:Id>0015g00000XyZ12AAB</o:Id>
     <o:AccountNumber>000123</o:AccountNumber>
     <o:Name>Caf&#233; &amp; Bar &lt;HQ&gt;</o:Name>
     <o:Fax i:nil="true"/>
     <o:IsActive__c>true</o:IsActive__c>
    </sObject>
   </Notification>
  </notifications>
 </S:Body>
</S:Envelope>`
		expect(parseOutboundMessage(bytes(xml))).toEqual({
			organizationId: '00D5g000004Ab1CEAS',
			actionId: '04k5g000000Gm2TAAS',
			records: [
				{
					id: '0015g00000XyZ12AAB',
					type: 'Account',
					notificationId: '04l5g00000Qx1AAAAZ',
					fields: {
						AccountNumber: '000123',
						Name: 'Café & Bar <HQ>',
						Fax: null,
						IsActive__c: 'true',
					},
				},
			],
		})
	})

	it('refuses XML that is not an outbound message', () => {
		expect(() => parseOutboundMessage(bytes('<order><id>1</id></order>'))).toThrow(
			'Not a Salesforce outbound message: no soapenv:Body/notifications element.',
		)
	})
})
