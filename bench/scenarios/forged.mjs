/**
 * forged: an attacker floods one GitHub-signed endpoint with bad signatures as fast as
 * the gateway answers, while the genuine sender delivers correctly signed requests at a
 * steady 40 rps, under the endpoint's default 50 rps limit. SPEC: failed authentication
 * spends no rate budget, so every genuine request should still be admitted; what the
 * flood can still take from the sender is CPU, which shows as latency. The attacker runs
 * in an autocannon worker thread so it does not delay the genuine sender's timers.
 * @module
 */
import { cannon, mergedLatency } from '../lib/cannon.mjs'
import { githubHeaders, withDelivery } from '../lib/fixtures.mjs'
import { interleave, pause } from '../lib/interleave.mjs'
import { paced } from '../lib/paced.mjs'
import { FORGED_SIGNATURE, jsonBody } from '../lib/payloads.mjs'
import { row, skipped } from '../lib/report.mjs'
import { countStatuses, mergeCounts, percentile } from '../lib/stats.mjs'
import { describeStatuses, originOf } from './context.mjs'

const GENUINE_RPS = 40
const ATTACK_CONNECTIONS = 16
const FLOOD_EDGE_MS = 300

/** @type {import('./context.mjs').Scenario} */
export default {
	name: 'forged',
	summary: `bad-signature flood plus a genuine sender at ${GENUINE_RPS} rps on one endpoint`,
	async run(ctx) {
		const { forged: endpoint, secret } = ctx.fx
		if (!endpoint || !secret) return [skipped('forged', ctx.fx.authNote)]
		const body = jsonBody(1024, 'genuine')
		const genuineHeaders = githubHeaders(body, secret)
		const attackHeaders = { ...githubHeaders(body, null), 'x-hub-signature-256': FORGED_SIGNATURE }

		const ab = await interleave({
			rounds: ctx.rounds,
			run: async (side) => {
				const url = `${originOf(ctx, side)}/trigger/${endpoint}`
				const [attack, genuine] = await Promise.all([
					cannon({
						url,
						workers: 1,
						connections: ATTACK_CONNECTIONS,
						duration: ctx.seconds,
						method: 'POST',
						headers: attackHeaders,
						body,
					}),
					// The attacker's worker thread takes a moment to start and its connections
					// close at the deadline: the genuine sender runs inside the flood, not at its edges.
					pause(FLOOD_EDGE_MS).then(() =>
						paced({
							rate: GENUINE_RPS,
							durationMs: ctx.seconds * 1000 - 2 * FLOOD_EDGE_MS,
							request: () => ({
								url,
								init: { method: 'POST', headers: withDelivery(genuineHeaders), body },
							}),
						}),
					),
				])
				return { attack, genuine }
			},
			settle: () => ctx.admin.drain(ctx.drainMs, endpoint),
			log: ctx.log,
		})

		const sum = (/** @type {typeof ab.gateway} */ rounds) => {
			const attackStatuses = mergeCounts(rounds.map((r) => r.attack.statuses))
			const attackSeconds = rounds.reduce((s, r) => s + r.attack.seconds, 0)
			const samples = rounds.flatMap((r) => r.genuine.samples)
			const genuineSeconds = rounds.reduce((s, r) => s + r.genuine.seconds, 0)
			const statuses = countStatuses(samples.map((s) => s.status))
			const lat = samples.map((s) => s.latencyMs)
			return {
				attackStatuses,
				attackRps: Object.values(attackStatuses).reduce((a, n) => a + n, 0) / attackSeconds,
				attackLatency: mergedLatency(rounds.map((r) => r.attack)),
				statuses,
				admittedRps: (statuses[200] ?? 0) / genuineSeconds,
				sent: samples.length,
				p50: percentile(lat, 50),
				p99: percentile(lat, 99),
			}
		}
		const g = sum(ab.gateway)
		const b = sum(ab.baseline)
		const admittedAll = (g.statuses[200] ?? 0) === g.sent
		return [
			row({
				scenario: 'forged: genuine',
				rps: g.admittedRps,
				p50: g.p50,
				p99: g.p99,
				baselineRps: b.admittedRps,
				notes: [
					`${GENUINE_RPS} rps signed, during the flood`,
					describeStatuses(g.statuses),
					admittedAll
						? 'all admitted'
						: `${g.sent - (g.statuses[200] ?? 0)} of ${g.sent} NOT admitted`,
					`baseline p99 ${b.p99.toFixed(1)} ms`,
				],
				details: { gateway: g, baseline: b, drainMs: ab.settleMs },
			}),
			row({
				scenario: 'forged: flood',
				rps: g.attackRps,
				p50: g.attackLatency.p50,
				p99: g.attackLatency.p99,
				baselineRps: b.attackRps,
				notes: [
					`bad signatures, closed loop c=${ATTACK_CONNECTIONS}`,
					describeStatuses(g.attackStatuses),
					'latency: mean of per-round percentiles',
				],
			}),
		]
	},
}
