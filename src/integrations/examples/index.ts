/**
 * The `examples` integration: small flows for trying the gateway and for its tests.
 * @module
 */
import { bytesToHex } from '../../lib/encoding'
import { defineFlow, defineIntegration } from '../define'

const MAX_ECHO_DELAY_MS = 10_000

function field(data: unknown, name: string): unknown {
	return data !== null && typeof data === 'object' && !(data instanceof Uint8Array)
		? (data as Record<string, unknown>)[name]
		: undefined
}

/** Returns what it received; a numeric `delayMs` (≤ 10 s) in a JSON body makes it wait first. */
export const echo = defineFlow({
	description: 'Returns the request it received.',
	async onExecution(context, payload) {
		const delay = field(payload.body.data, 'delayMs')
		if (typeof delay === 'number' && Number.isFinite(delay) && delay > 0) {
			const ms = Math.min(delay, MAX_ECHO_DELAY_MS)
			await context.step('wait', () => new Promise((resolve) => setTimeout(resolve, ms)))
		}
		const { body, headers, queryParameters, pathFragment, method } = payload
		return { body, headers, queryParameters, pathFragment, method }
	},
})

/** Throws an error whose message is the request body's `message` field. */
export const fail = defineFlow({
	description: "Throws an error with the body's `message`.",
	onExecution(_context, payload) {
		const message = field(payload.body.data, 'message')
		throw new Error(typeof message === 'string' ? message : 'Flow failed')
	},
})

/**
 * Simulates a third party that is down for a while: throws while the JSON body's
 * `failUntil` (an ISO time) is in the future, succeeds after. Try replaying it.
 */
export const unreliable = defineFlow({
	description: 'Fails until the time in the body’s `failUntil`, then succeeds.',
	retry: { attempts: 1 },
	onExecution(context, payload) {
		const until = field(payload.body.data, 'failUntil')
		const at = typeof until === 'string' ? Date.parse(until) : Number.NaN
		if (Number.isFinite(at) && Date.now() < at)
			throw new Error(`Upstream unavailable until ${until}`)
		context.log.info('upstream reachable')
		return { ok: true, attempt: context.attempt }
	},
})

/** Fails its first attempt and succeeds on the retry: what one retry costs, measured. */
export const flaky = defineFlow({
	description: 'Fails its first attempt, succeeds on the retry.',
	onExecution(context) {
		if (context.attempt === 1) throw new Error('First attempt fails by design.')
		return { ok: true, attempt: context.attempt }
	},
})

/**
 * Returns the raw body's size and SHA-256, as a flow that checks an uploaded file would:
 * for large binary bodies it is what `echo` is for JSON, without a base64 copy of the
 * body in its result.
 */
export const digest = defineFlow({
	description: 'Returns the size and SHA-256 (hex) of the raw request body.',
	async onExecution(_context, payload) {
		const bytes = payload.rawBody.data
		const sha256 = bytesToHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)))
		return { size: bytes.byteLength, sha256, contentType: payload.body.contentType }
	},
})

export default defineIntegration({
	name: 'examples',
	description: 'Example flows: echo, digest, fail, unreliable and flaky.',
	flows: { echo, digest, fail, unreliable, flaky },
})
