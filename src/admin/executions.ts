/**
 * `/api/executions`: read, list (newest first, across endpoints) and replay executions.
 * @module
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { EXECUTION_STATUSES, type ExecutionView } from '../endpoint/execution-record'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { parseExecutionId } from '../lib/ids'
import { publicOrigin } from '../lib/urls'
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../limits'
import { registryStub } from '../registry/registry-do'
import { notFound } from './errors'
import { replayOne } from './replay'
import { validate } from './validate'

export const executionRoutes = new Hono<{ Bindings: Env }>()

function withResultUrl(view: ExecutionView, origin: string) {
	const { resultPath, ...rest } = view
	return resultPath ? { ...rest, resultUrl: origin + resultPath } : rest
}

executionRoutes.get('/:id', async (c) => {
	const parsed = parseExecutionId(c.req.param('id'))
	if (!parsed) throw notFound('Execution')
	const view = await endpointStub(c.env, parsed.endpointId).getExecution(parsed.sequence)
	if (!view) throw notFound('Execution')
	return c.json(withResultUrl(view, publicOrigin(c.env, c.req.url)))
})

const cursorSchema = z.object({ t: z.number(), e: z.string(), s: z.number() })

export const listQuerySchema = z
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
executionRoutes.get('/', validate('query', listQuerySchema), async (c) => {
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

executionRoutes.post('/:id/replay', async (c) => {
	const executionId = await replayOne(c.env, c.req.param('id'))
	return c.json({ executionId }, 202)
})
