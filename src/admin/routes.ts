/**
 * The admin API under `/api`: instances, endpoints, executions.
 * @module
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { defaultEndpointConfig, endpointPatchSchema, publicEndpointView } from '../endpoint/config'
import { EXECUTION_STATUSES, type ExecutionView } from '../endpoint/execution-record'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { loadArchivedRequest } from '../execution/archive'
import { getIntegration } from '../integrations/registry'
import { GatewayError } from '../lib/errors'
import { newEndpointId, newInstanceId, parseExecutionId } from '../lib/ids'
import { publicOrigin, triggerUrl } from '../lib/urls'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../limits'
import { type InstanceRecord, registryStub } from '../registry/registry-do'
import { invalidateEndpoint } from '../trigger/config-cache'
import { requireAdmin } from './auth'
import { validate } from './validate'

export const adminRoutes = new Hono<{ Bindings: Env }>()
adminRoutes.use('*', requireAdmin)

const notFound = (what: string) => new GatewayError(404, 'not_found', `${what} not found.`)

// ----- instances -------------------------------------------------------------------

const createInstanceSchema = z
	.object({
		integration: z.string().min(1).max(128),
		name: z.string().min(1).max(256).optional(),
		config: z.record(z.string(), z.json()).default({}),
		endpointMode: z.enum(['instance-flow']).default('instance-flow'),
	})
	.strict()

function instanceView(record: InstanceRecord, origin: string) {
	return {
		id: record.id,
		integration: record.integration,
		name: record.name,
		endpointMode: record.endpointMode,
		config: record.config,
		webhookUrls: record.webhookUrls,
		endpoints: record.endpoints.map((e) => ({
			id: e.id,
			flow: e.flow,
			url: triggerUrl(origin, e.id),
		})),
		createdAt: record.createdAt,
		deletedAt: record.deletedAt,
	}
}

adminRoutes.post('/instances', validate('json', createInstanceSchema), async (c) => {
	const input = c.req.valid('json')
	const integration = getIntegration(input.integration)
	if (!integration) {
		throw new GatewayError(
			400,
			'bad_request',
			`Invalid request: integration: unknown integration "${input.integration}"`,
		)
	}
	const origin = publicOrigin(c.env, c.req.url)
	const now = new Date().toISOString()
	const id = newInstanceId()
	const endpoints = Object.keys(integration.flows).map((flow) => ({ id: newEndpointId(), flow }))
	const webhookUrls = Object.fromEntries(endpoints.map((e) => [e.flow, triggerUrl(origin, e.id)]))
	const record: InstanceRecord = {
		id,
		integration: integration.name,
		name: input.name ?? integration.name,
		config: input.config,
		endpointMode: input.endpointMode,
		endpoints,
		webhookUrls,
		createdAt: now,
		deletedAt: null,
	}
	const instance = { id, name: record.name, config: record.config, webhookUrls, webhookApiKeys: {} }
	// Endpoints first: an instance is only recorded once every trigger URL it lists works.
	await Promise.all(
		endpoints.map((e) =>
			endpointStub(c.env, e.id).configure(
				defaultEndpointConfig(
					{ id: e.id, integration: integration.name, flow: e.flow, instance },
					now,
				),
			),
		),
	)
	await registryStub(c.env).putInstance(record)
	return c.json(instanceView(record, origin), 201)
})

adminRoutes.get('/instances', async (c) => {
	const origin = publicOrigin(c.env, c.req.url)
	const list = await registryStub(c.env).listInstances()
	return c.json({ instances: list.map((r) => instanceView(r, origin)) })
})

adminRoutes.get('/instances/:id', async (c) => {
	const record = await registryStub(c.env).getInstance(c.req.param('id'))
	if (!record || record.deletedAt) throw notFound('Instance')
	return c.json(instanceView(record, publicOrigin(c.env, c.req.url)))
})

adminRoutes.delete('/instances/:id', async (c) => {
	const record = await registryStub(c.env).deleteInstance(c.req.param('id'))
	if (!record) throw notFound('Instance')
	await Promise.all(
		record.endpoints.map(async (e) => {
			await endpointStub(c.env, e.id).remove()
			invalidateEndpoint(e.id)
		}),
	)
	return c.json(instanceView(record, publicOrigin(c.env, c.req.url)))
})

// ----- endpoints -------------------------------------------------------------------

const endpointIdParam = z.object({ id: z.string().regex(/^[a-z2-7]{26}$/, 'not an endpoint id') })

adminRoutes.get('/endpoints/:id', validate('param', endpointIdParam), async (c) => {
	const { id } = c.req.valid('param')
	const config = await endpointStub(c.env, id).getConfig()
	if (!config) throw notFound('Endpoint')
	return c.json(publicEndpointView(config, triggerUrl(publicOrigin(c.env, c.req.url), id)))
})

adminRoutes.patch(
	'/endpoints/:id',
	validate('param', endpointIdParam),
	validate('json', endpointPatchSchema),
	async (c) => {
		const { id } = c.req.valid('param')
		const config = await endpointStub(c.env, id).patch(c.req.valid('json'))
		invalidateEndpoint(id)
		if (!config) throw notFound('Endpoint')
		return c.json(publicEndpointView(config, triggerUrl(publicOrigin(c.env, c.req.url), id)))
	},
)

// ----- executions ------------------------------------------------------------------

function withResultUrl(view: ExecutionView, origin: string) {
	const { resultPath, ...rest } = view
	return resultPath ? { ...rest, resultUrl: origin + resultPath } : rest
}

adminRoutes.get('/executions/:id', async (c) => {
	const parsed = parseExecutionId(c.req.param('id'))
	if (!parsed) throw notFound('Execution')
	const view = await endpointStub(c.env, parsed.endpointId).getExecution(parsed.sequence)
	if (!view) throw notFound('Execution')
	return c.json(withResultUrl(view, publicOrigin(c.env, c.req.url)))
})

const cursorSchema = z.object({ t: z.number(), e: z.string(), s: z.number() })

const listQuerySchema = z
	.object({
		endpoint: z
			.string()
			.regex(/^[a-z2-7]{26}$/, 'not an endpoint id')
			.optional(),
		instance: z.string().min(1).max(128).optional(),
		status: z.enum(EXECUTION_STATUSES as [string, ...string[]]).optional(),
		limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
		cursor: z
			.string()
			.max(512)
			.transform((s, ctx) => {
				try {
					return cursorSchema.parse(JSON.parse(atob(s.replace(/-/g, '+').replace(/_/g, '/'))))
				} catch {
					ctx.addIssue({ code: 'custom', message: 'invalid cursor' })
					return z.NEVER
				}
			})
			.optional(),
	})
	.strict()

const encodeCursor = (c: z.infer<typeof cursorSchema>): string =>
	btoa(JSON.stringify(c)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/**
 * Newest first across every endpoint in scope: each EndpointDO returns its own newest
 * page after the cursor, and the pages are merged here. The cursor is a position in the
 * global (receivedAt, endpointId, sequence) order, so paging is stable under new arrivals.
 */
adminRoutes.get('/executions', validate('query', listQuerySchema), async (c) => {
	const q = c.req.valid('query')
	const endpointIds = q.endpoint
		? [q.endpoint]
		: await registryStub(c.env).listEndpointIds(q.instance)
	const query = {
		limit: q.limit + 1,
		...(q.status ? { status: q.status as ExecutionView['status'] } : {}),
		...(q.cursor ? { before: q.cursor } : {}),
	}
	const pages = await Promise.all(
		endpointIds.map((id) => endpointStub(c.env, id).listExecutions(query)),
	)
	const merged = pages
		.flat()
		.filter((v) => !q.instance || v.instanceId === q.instance)
		.sort((a, b) => {
			const dt = Date.parse(b.receivedAt) - Date.parse(a.receivedAt)
			if (dt !== 0) return dt
			if (a.endpointId !== b.endpointId) return a.endpointId < b.endpointId ? 1 : -1
			return b.sequence - a.sequence
		})
	const page = merged.slice(0, q.limit)
	const last = page[page.length - 1]
	const nextCursor =
		merged.length > q.limit && last
			? encodeCursor({ t: Date.parse(last.receivedAt), e: last.endpointId, s: last.sequence })
			: null
	const origin = publicOrigin(c.env, c.req.url)
	return c.json({ executions: page.map((v) => withResultUrl(v, origin)), nextCursor })
})

// ----- replay ----------------------------------------------------------------------

/** Replays one archived execution as a new one on the same endpoint. */
async function replayOne(env: Env, executionId: string): Promise<string> {
	const parsed = parseExecutionId(executionId)
	if (!parsed) throw notFound('Execution')
	const request = await loadArchivedRequest(env, executionId)
	if (!request) {
		const exists = await endpointStub(env, parsed.endpointId).getExecution(parsed.sequence)
		if (!exists) throw notFound('Execution')
		throw new GatewayError(
			409,
			'bad_request',
			'Execution has no archived request yet; try again once it has run.',
		)
	}
	const result = await endpointStub(env, parsed.endpointId).replay(request, parsed.sequence)
	if (!result.ok) throw notFound('Endpoint')
	return result.executionId
}

adminRoutes.post('/executions/:id/replay', async (c) => {
	const executionId = await replayOne(c.env, c.req.param('id'))
	return c.json({ executionId }, 202)
})

const bulkReplaySchema = z
	.object({
		status: z.enum(['failed', 'succeeded']).default('failed'),
		from: z.iso.datetime().optional(),
		to: z.iso.datetime().optional(),
		limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(100),
	})
	.strict()

/** Replays an endpoint's failed (or succeeded) executions received in [from, to]. */
adminRoutes.post(
	'/endpoints/:id/replay',
	validate('param', endpointIdParam),
	validate('json', bulkReplaySchema),
	async (c) => {
		const { id } = c.req.valid('param')
		const q = c.req.valid('json')
		const stub = endpointStub(c.env, id)
		if (!(await stub.getConfig())) throw notFound('Endpoint')
		const sources = await stub.listExecutions({
			status: q.status,
			limit: q.limit,
			...(q.from ? { from: Date.parse(q.from) } : {}),
			...(q.to ? { to: Date.parse(q.to) } : {}),
		})
		// Oldest first, so a FIFO endpoint replays in the original order.
		const executionIds: string[] = []
		const skipped: string[] = []
		for (const source of sources.reverse()) {
			try {
				executionIds.push(await replayOne(c.env, source.id))
			} catch (err) {
				if (!(err instanceof GatewayError) || err.status !== 409) throw err
				skipped.push(source.id)
			}
		}
		return c.json({ executionIds, replayed: executionIds.length, skipped }, 202)
	},
)
