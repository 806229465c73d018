/**
 * large: 10 MB binary bodies (`application/octet-stream`), GitHub-signed, closed loop
 * with two in flight. Bodies over the queue's 128 KB message limit go through R2, so
 * this is the R2 path. Memory is sampled throughout each round (and, for the gateway,
 * until the queue has drained, because the flows that handle these bodies run after the
 * 200): the workerd process's RSS, and each Worker's V8 heap and ArrayBuffer backing
 * store through the inspector (a script's Durable Objects share its isolate).
 *
 * It runs twice. The headline row sends the bodies to `digest` endpoints (the flow hashes
 * the body and returns 100 bytes), so its memory is the gateway's: intake, R2, queue, the
 * consumer's one read of the body. The second sends them to `echo`, whose result is the
 * body again as base64 JSON (13 MB, built and stored per request): that row shows what
 * such a flow adds, locally in the same isolate as everything else.
 * @module
 */
import { githubHeaders, withDelivery } from '../lib/fixtures.mjs'
import { interleave } from '../lib/interleave.mjs'
import { mb, rssBytes, startSampling } from '../lib/memory.mjs'
import { closedLoop } from '../lib/paced.mjs'
import { binaryBody } from '../lib/payloads.mjs'
import { row } from '../lib/report.mjs'
import { countStatuses, percentile } from '../lib/stats.mjs'
import { countRange, describeStatuses, originOf } from './context.mjs'

/** "10 MB" in the decimal sense, just under the default 10 MiB endpoint limit. */
const BODY_BYTES = 10_000_000
const CONNECTIONS = 2

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'large',
	summary: '10 MB octet-stream bodies (the R2 path), closed loop c=2, with memory',
	async run(ctx) {
		const { echoes, digests, secret } = ctx.fx
		return [
			await measure(ctx, secret, digests, 'large', 'flow digest (hash + 100-byte result)'),
			await measure(ctx, secret, echoes, 'large: echo flow', 'flow echo (13 MB base64 result)'),
		]
	},
}

/**
 * @param {import('./context.mjs').Context} ctx
 * @param {string | null} secret
 * @param {string[]} endpoints
 * @param {string} scenario
 * @param {string} flowNote
 */
async function measure(ctx, secret, endpoints, scenario, flowNote) {
	const body = binaryBody(BODY_BYTES)
	const headers = githubHeaders(body, secret, 'application/octet-stream')
	const inspectors = {
		gateway: await ctx.inspector('gateway'),
		baseline: await ctx.inspector('baseline'),
	}
	let n = 0
	const rssBefore = await rssBytes(await ctx.rt.workerdPid())

	const ab = await interleave({
		rounds: ctx.rounds,
		run: async (side) => {
			const sampler = startSampling({
				pid: await ctx.rt.workerdPid(),
				inspector: inspectors[side],
			})
			const result = await closedLoop({
				connections: CONNECTIONS,
				durationMs: ctx.seconds * 1000,
				request: () => ({
					url: `${originOf(ctx, side)}/trigger/${endpoints[n++ % endpoints.length]}`,
					init: { method: 'POST', headers: withDelivery(headers), body },
				}),
			})
			const drainMs = side === 'gateway' ? await ctx.admin.drain(ctx.drainMs * 2) : 0
			return { result, drainMs, peak: await sampler.stop() }
		},
		log: ctx.log,
	})
	const sum = (/** @type {typeof ab.gateway} */ rounds) => {
		const samples = rounds.flatMap((r) => r.result.samples)
		const statuses = countStatuses(samples.map((s) => s.status))
		const seconds = rounds.reduce((s, r) => s + r.result.seconds, 0)
		const ok = countRange(statuses, 200, 299)
		const lat = samples.map((s) => s.latencyMs)
		const peak = (/** @type {'rss'|'heapUsed'|'backing'|'isolate'} */ k) =>
			Math.max(...rounds.map((r) => r.peak[k]))
		return {
			statuses,
			seconds,
			rps: ok / seconds,
			mbps: (ok * BODY_BYTES) / 1e6 / seconds,
			latency: { p50: percentile(lat, 50), p99: percentile(lat, 99) },
			peakRss: peak('rss'),
			peakHeapMb: mb(peak('heapUsed')),
			peakBackingMb: mb(peak('backing')),
			peakIsolateMb: mb(peak('isolate')),
		}
	}
	const g = sum(ab.gateway)
	const b = sum(ab.baseline)
	const drains = ab.gateway.map((r) => r.drainMs)
	const heapKnown = inspectors.gateway !== null && g.peakHeapMb > 0
	return row({
		scenario,
		rps: g.rps,
		p50: g.latency.p50,
		p99: g.latency.p99,
		baselineRps: b.rps,
		notes: [
			`${(BODY_BYTES / 1e6).toFixed(0)} MB × c=${CONNECTIONS}, ${flowNote}, ${g.mbps.toFixed(0)} MB/s (baseline ${b.mbps.toFixed(0)})`,
			describeStatuses(g.statuses),
			heapKnown
				? `isolate peak ${g.peakIsolateMb} MB heap+buffers (baseline ${b.peakIsolateMb} MB; Workers allow 128 MB)`
				: 'isolate memory not measured (inspector unavailable)',
			// RSS is the whole process and rarely shrinks, so it is not split by side.
			`workerd RSS peak ${mb(Math.max(g.peakRss, b.peakRss))} MB (${rssBefore ? mb(rssBefore) : '?'} MB before)`,
			drains.every((d) => d !== null)
				? `flows done ${(Math.max(...drains) / 1000).toFixed(1)} s after a round at worst`
				: 'queue NOT drained in time',
		],
		details: {
			bodyBytes: BODY_BYTES,
			gateway: g,
			baseline: b,
			rssBeforeMb: rssBefore ? mb(rssBefore) : null,
			perRound: ab.gateway.map((r, i) => ({
				gatewayRps: r.result.samples.filter((x) => x.status === 200).length / r.result.seconds,
				baselineRps:
					ab.baseline[i].result.samples.filter((x) => x.status === 200).length /
					ab.baseline[i].result.seconds,
			})),
			drainMs: drains,
		},
	})
}
