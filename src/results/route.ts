/**
 * The result URL a synchronous caller is redirected to: `/results/:executionId/:token`.
 * The token (160 random bits) is the capability; it is compared in constant time and the
 * result expires after RESULT_TTL_SECONDS whatever R2's lifecycle rule has done yet.
 * Results are in R2 (synchronous and large ones) or, small asynchronous ones, in the
 * execution's row in its EndpointDO.
 * @module
 */
import { Hono } from 'hono'
import { endpointStub } from '../endpoint/stub'
import type { Env } from '../env'
import { resultKey } from '../execution/result-store'
import { GatewayError } from '../lib/errors'
import { parseExecutionId } from '../lib/ids'
import { timingSafeEqualStrings } from '../lib/timing-safe'

export const resultRoutes = new Hono<{ Bindings: Env }>()

const resultHeaders = (executionId: string) => ({
	'cache-control': 'private, no-store',
	'x-content-type-options': 'nosniff',
	'triggerflare-execution-id': executionId,
})

const gone = () => new GatewayError(404, 'not_found', 'Result not found or expired.')

resultRoutes.get('/:executionId/:token', async (c) => {
	const { executionId, token } = c.req.param()
	const parsed = parseExecutionId(executionId)
	if (!parsed || !/^[a-z2-7]{16,64}$/.test(token)) throw gone()

	// The execution's object first: it holds the token, and small results themselves,
	// so most result reads make no R2 call at all (each R2 read is billed, misses too).
	const access = await endpointStub(c.env, parsed.endpointId).resultAccess(parsed.sequence)
	if (!access || !(await timingSafeEqualStrings(token, access.token))) throw gone()
	if (access.inline) {
		if (access.inline.expiresAt <= Date.now()) throw gone()
		return new Response(access.inline.body, {
			status: 200,
			headers: { 'content-type': access.inline.contentType, ...resultHeaders(executionId) },
		})
	}
	if (access.status !== 'succeeded' && access.status !== 'failed') {
		// No result yet: the execution is still on its way.
		return c.json({ executionId, status: access.status }, 202, { 'retry-after': '1' })
	}

	const obj = await c.env.STORE.get(resultKey(executionId))
	if (!obj) throw gone()
	const expected = obj.customMetadata?.token ?? ''
	const expiresAt = Number(obj.customMetadata?.expiresAt ?? 0)
	const valid = await timingSafeEqualStrings(token, expected)
	if (!valid || expiresAt <= Date.now()) throw gone()
	const headers = new Headers()
	obj.writeHttpMetadata(headers)
	headers.set('etag', obj.httpEtag)
	for (const [name, value] of Object.entries(resultHeaders(executionId))) headers.set(name, value)
	return new Response(obj.body, { status: 200, headers })
})
