/**
 * An open-loop, evenly paced load generator (the wrk2 model).
 *
 * Why not autocannon's `overallRate`: autocannon 9 spreads the rate over connections and
 * lets each connection send its whole per-second quota back to back, then pause until
 * its next one-second tick (lib/httpClient.js `reqsMadeThisSecond`). At 500 rps that is
 * a burst at the top of every second, not a constant rate, and a rolling-window limiter
 * judged under bursts measures the bursts. Here request i is due at t0 + i/rate whether
 * or not earlier ones have answered, and latency is measured from that due time, so a
 * stalled server cannot hide its stall by slowing the sender (no coordinated omission).
 * @module
 */
import { Agent, request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

/** Keep-alive, as real senders (and autocannon) use; enough sockets for any backlog. */
const agent = new Agent({ keepAlive: true, maxSockets: 1024 })

/**
 * @typedef {object} Req
 * @property {string} url
 * @property {{ method?: string, headers?: Record<string, string>, body?: string | Buffer }} init
 */

/**
 * @typedef {object} Sample
 * @property {number} status HTTP status, 0 for a transport error or timeout
 * @property {number} latencyMs from the due time to the end of the response body
 * @property {number} sentAt wall-clock ms when the request was handed to the socket layer
 * @property {number} at wall-clock ms when the response ended
 * @property {string | null} location the Location header, for redirects
 * @property {string | null} executionId the gateway's `triggerflare-execution-id` header
 */

/**
 * @typedef {object} PacedRun
 * @property {Sample[]} samples
 * @property {number} startedAt wall-clock ms of the first due time
 * @property {number} endedAt wall-clock ms of the last due time
 * @property {number} seconds from the first due time to the last response
 * @property {number} maxLagMs how late the generator itself ever sent (its own health)
 */

/**
 * Sends `rate` requests per second for `durationMs`, evenly spaced.
 * @param {object} o
 * @param {number} o.rate requests per second
 * @param {number} o.durationMs
 * @param {(i: number) => Req} o.request the i-th request
 * @param {number} [o.timeoutMs] per request
 * @param {string} [o.warmUrl] a cheap GET on the same origin, used to open sockets first
 * @returns {Promise<PacedRun>}
 */
export async function paced({ rate, durationMs, request, timeoutMs = 15_000, warmUrl }) {
	const interval = 1000 / rate
	const total = Math.max(1, Math.round((durationMs / 1000) * rate))
	if (warmUrl) await openSockets(warmUrl, WARM_SOCKETS)
	const t0 = performance.now()
	const startedAt = Date.now()
	/** @type {Promise<Sample>[]} */
	const inflight = []
	let maxLagMs = 0
	for (let i = 0; i < total; i++) {
		const due = t0 + i * interval
		const wait = due - performance.now()
		// Timers have ~1 ms resolution; a shorter wait is spent sending instead.
		if (wait >= 1) await sleep(wait)
		maxLagMs = Math.max(maxLagMs, performance.now() - due)
		inflight.push(send(request(i), due, timeoutMs))
	}
	const endedAt = startedAt + (total - 1) * interval
	const samples = await Promise.all(inflight)
	const last = Math.max(...samples.map((s) => s.at))
	return { samples, startedAt, endedAt, seconds: (last - startedAt) / 1000, maxLagMs }
}

/**
 * Enough keep-alive sockets for the in-flight requests of a round's first moments.
 * Without them the first few sends each wait for a TCP connect, so the generator falls
 * behind and then sends its backlog in the same millisecond: a burst the server never
 * asked for, which an exact rolling window then keeps, one second apart, for the whole
 * round (the 50 slots that free together are the 50 admitted together).
 */
const WARM_SOCKETS = 16

/** Opens `n` sockets to the origin of `url` (n concurrent GETs), left idle in the agent. */
async function openSockets(url, n) {
	await Promise.all(
		Array.from({ length: n }, () => send({ url, init: {} }, performance.now(), 5000)),
	)
}

/**
 * One request over a keep-alive socket. node:http rather than fetch: fetch streams a
 * Buffer body in small chunks, which made the *client* the bottleneck at 10 MB.
 * @param {Req} req
 * @param {number} due performance.now() time the request was due
 * @param {number} timeoutMs
 * @returns {Promise<Sample>}
 */
function send({ url, init }, due, timeoutMs) {
	const sentAt = Date.now()
	return new Promise((resolve) => {
		const done = (status, location = null, executionId = null) =>
			resolve({
				status,
				latencyMs: performance.now() - due,
				sentAt,
				at: Date.now(),
				location,
				executionId,
			})
		const target = new URL(url)
		const body = init.body ?? ''
		const req = request(
			{
				host: target.hostname,
				port: target.port,
				path: target.pathname + target.search,
				method: init.method ?? 'GET',
				headers: { ...init.headers, 'content-length': Buffer.byteLength(body) },
				agent,
				timeout: timeoutMs,
			},
			(res) => {
				res.on('data', () => {})
				res.on('end', () => {
					const id = res.headers['triggerflare-execution-id']
					done(
						res.statusCode ?? 0,
						res.headers.location ?? null,
						typeof id === 'string' ? id : null,
					)
				})
				res.on('error', () => done(0))
			},
		)
		req.on('timeout', () => req.destroy(new Error('timeout')))
		req.on('error', () => done(0))
		req.end(body)
	})
}

/**
 * Closed loop with a graceful end: `connections` senders each send, wait for the answer,
 * and send again until `durationMs` has passed, then finish the request they are on.
 * For large bodies, where stopping autocannon at its deadline would cut uploads off
 * mid-body and make both Workers log "Network connection lost".
 * @param {object} o
 * @param {number} o.connections
 * @param {number} o.durationMs
 * @param {(i: number) => Req} o.request
 * @param {number} [o.timeoutMs]
 * @returns {Promise<PacedRun>}
 */
export async function closedLoop({ connections, durationMs, request, timeoutMs = 60_000 }) {
	const startedAt = Date.now()
	const t0 = performance.now()
	/** @type {Sample[]} */
	const samples = []
	let i = 0
	const sender = async () => {
		while (performance.now() - t0 < durationMs) {
			samples.push(await send(request(i++), performance.now(), timeoutMs))
		}
	}
	await Promise.all(Array.from({ length: connections }, sender))
	return {
		samples,
		startedAt,
		endedAt: startedAt + durationMs,
		seconds: (performance.now() - t0) / 1000,
		maxLagMs: 0,
	}
}
