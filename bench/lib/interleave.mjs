/**
 * A/B interleaving: baseline, gateway, baseline, gateway, ... in short rounds, so that
 * whatever the machine does meanwhile (thermal throttling, another process, GC in the
 * load generator) lands on both sides instead of on whichever ran second.
 * @module
 */

/** @typedef {'baseline' | 'gateway'} Side */

/**
 * @template T
 * @param {object} o
 * @param {number} o.rounds
 * @param {(side: Side, round: number) => Promise<T>} o.run one round on one side
 * @param {(round: number) => Promise<number | null>} [o.settle] after each gateway round:
 *   lets the gateway finish the work it accepted (queue consumer, flows) so it does not
 *   steal CPU from the next baseline round; returns how long that took in ms, null if
 *   it had not finished by its deadline
 * @param {(msg: string) => void} [o.log]
 * @returns {Promise<{ baseline: T[], gateway: T[], settleMs: Array<number | null> }>}
 */
export async function interleave({ rounds, run, settle, log = () => {} }) {
	/** @type {{ baseline: T[], gateway: T[], settleMs: Array<number | null> }} */
	const out = { baseline: [], gateway: [], settleMs: [] }
	for (let round = 0; round < rounds; round++) {
		for (const side of /** @type {Side[]} */ (['baseline', 'gateway'])) {
			log(`  round ${round + 1}/${rounds} ${side}`)
			out[side].push(await run(side, round))
			if (side === 'gateway' && settle) out.settleMs.push(await settle(round))
			else await pause(250)
		}
	}
	return out
}

/** A short, equal gap between rounds (lets sockets close and timers drain). */
export const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
