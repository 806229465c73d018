/**
 * `salesforce-outbound` end to end: Salesforce's SOAP acknowledgement, the parsed
 * records, and FIFO order per record id.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { admin, call, post, waitForStatus } from '../helpers'
import { outboundMessage } from './salesforce-messages'
import { endpointIdOf, mockHosts } from './third-party'

interface Exec {
	id: string
	flow: string
	status: string
	sequence: number
	lane: string | null
	startedAt: string
	finishedAt: string
	resultUrl: string
	steps: Array<{ name: string; output?: unknown }>
}

async function createEndpoint(): Promise<string> {
	const res = await admin('/api/instances', {
		method: 'POST',
		json: { integration: 'salesforce-outbound', name: 'Acme org' },
	})
	expect(res.status).toBe(201)
	const { webhookUrls } = (await res.json()) as { webhookUrls: { notifications: string } }
	return endpointIdOf(webhookUrls.notifications)
}

/** Salesforce posts `text/xml` with a SOAPAction header. */
const send = (endpoint: string, xml: string) =>
	post(endpoint, xml, { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' })

const result = async (exec: Exec) => (await call(new URL(exec.resultUrl).pathname)).json()

const ada = {
	id: '0035g00000Ab1CdAAJ',
	notificationId: '04l5g00000Qx1AAAAZ',
	fields: {
		FirstName: 'Ada',
		LastName: 'Lovelace',
		Email: 'ada@example.com',
		// Text that looks like a number stays text.
		MailingPostalCode: '01234',
		Title: 'R&D <lead>',
	},
}

// The flow calls no third party; any outbound request would fail the test.
beforeEach(() => {
	mockHosts({})
})
afterEach(() => {
	vi.restoreAllMocks()
})

describe('salesforce-outbound', () => {
	it('acknowledges with the SOAP Ack and parses the notification into a record', async () => {
		const endpoint = await createEndpoint()
		const res = await send(endpoint, outboundMessage(ada))
		expect(res.status).toBe(200)
		expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8')
		const body = await res.text()
		expect(body).toContain('<Ack>true</Ack>')
		expect(body).toContain(
			'<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">',
		)
		const id = res.headers.get('triggerflare-execution-id') as string

		const exec = (await waitForStatus(id)) as unknown as Exec
		expect(exec).toMatchObject({ flow: 'notifications', status: 'succeeded', lane: ada.id })
		expect(exec.steps.map((s) => s.name)).toEqual(['parse notifications'])
		expect(exec.steps[0]?.output).toMatchObject({
			organizationId: '00D5g000004Ab1CEAS',
			actionId: '04k5g000000Gm2TAAS',
		})
		expect(await result(exec)).toEqual({
			records: [
				{ id: ada.id, type: 'Contact', notificationId: ada.notificationId, fields: ada.fields },
			],
		})
	})

	it('parses every notification of a batched message', async () => {
		const endpoint = await createEndpoint()
		const grace = {
			id: '0035g00000Ab1CeAAJ',
			notificationId: '04l5g00000Qx1ABAAZ',
			fields: { FirstName: 'Grace', LastName: 'Hopper' },
		}
		const res = await send(endpoint, outboundMessage(ada, grace))
		expect(res.status).toBe(200)
		const exec = (await waitForStatus(
			res.headers.get('triggerflare-execution-id') as string,
		)) as unknown as Exec
		expect(exec.status).toBe('succeeded')
		expect(await result(exec)).toEqual({
			records: [
				{ id: ada.id, type: 'Contact', notificationId: ada.notificationId, fields: ada.fields },
				{
					id: grace.id,
					type: 'Contact',
					notificationId: grace.notificationId,
					fields: grace.fields,
				},
			],
		})
	})

	it('processes one record’s messages one at a time, in the order they arrived', async () => {
		const endpoint = await createEndpoint()
		const config = (await (await admin(`/api/endpoints/${endpoint}`)).json()) as { fifo: unknown }
		expect(config.fifo).toEqual({
			key: 'body:soapenv:Envelope.soapenv:Body.notifications.Notification.sObject.sf:Id',
		})
		const titles = ['Engineer', 'Senior Engineer', 'Lead', 'Director']
		const ids: string[] = []
		for (const [i, title] of titles.entries()) {
			const res = await send(
				endpoint,
				outboundMessage({
					...ada,
					notificationId: `04l5g00000Qx1A${i}AAZ`,
					fields: { Title: title },
				}),
			)
			expect(res.status).toBe(200)
			expect(await res.text()).toContain('<Ack>true</Ack>')
			ids.push(res.headers.get('triggerflare-execution-id') as string)
		}
		const execs: Exec[] = []
		for (const id of ids) execs.push((await waitForStatus(id)) as unknown as Exec)
		expect(execs.map((e) => [e.status, e.lane])).toEqual(titles.map(() => ['succeeded', ada.id]))
		for (let i = 1; i < execs.length; i++) {
			const [prev, cur] = [execs[i - 1] as Exec, execs[i] as Exec]
			expect(cur.sequence).toBeGreaterThan(prev.sequence)
			expect(Date.parse(cur.startedAt)).toBeGreaterThanOrEqual(Date.parse(prev.finishedAt))
		}
		// Another record has its own lane.
		const other = await send(
			endpoint,
			outboundMessage({
				id: '0035g00000Zz9XyAAJ',
				notificationId: '04l5g00000Qx9ZZAAZ',
				fields: {},
			}),
		)
		const otherExec = (await waitForStatus(
			other.headers.get('triggerflare-execution-id') as string,
		)) as unknown as Exec
		expect(otherExec.lane).toBe('0035g00000Zz9XyAAJ')

		const seen = await Promise.all(execs.map(result))
		expect(
			seen.map((r) => (r as { records: Array<{ fields: unknown }> }).records[0]?.fields),
		).toEqual(titles.map((Title) => ({ Title })))
	})
})
