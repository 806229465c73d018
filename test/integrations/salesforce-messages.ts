/**
 * Outbound messages shaped as Salesforce sends them (see
 * `src/integrations/salesforce-outbound/outbound-message.ts` for the documented shape).
 * @module
 */

export interface Contact {
	id: string
	notificationId: string
	fields: Record<string, string>
}

const escapeXml = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function notification(contact: Contact): string {
	const fields = Object.entries(contact.fields)
		.map(([name, value]) => `<sf:${name}>${escapeXml(value)}</sf:${name}>`)
		.join('\n     ')
	return `<Notification>
    <Id>${contact.notificationId}</Id>
    <sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
     <sf:Id>${contact.id}</sf:Id>
     ${fields}
    </sObject>
   </Notification>`
}

export function outboundMessage(...contacts: Contact[]): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
   <OrganizationId>00D5g000004Ab1CEAS</OrganizationId>
   <ActionId>04k5g000000Gm2TAAS</ActionId>
   <SessionId xsi:nil="true"/>
   <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/61.0/00D5g000004Ab1C</EnterpriseUrl>
   <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/61.0/00D5g000004Ab1C</PartnerUrl>
   ${contacts.map(notification).join('\n   ')}
  </notifications>
 </soapenv:Body>
</soapenv:Envelope>`
}
