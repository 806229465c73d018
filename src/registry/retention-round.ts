/**
 * The registry's retention round. Every RETENTION_ROUND_MS the registry asks each endpoint
 * it ever created (deleted instances' ones too: their history is kept, and must still
 * expire) to drop what is past retention, RETENTION_ROUND_BATCH endpoints per run of its
 * alarm, in id order from a cursor.
 *
 * Why here and not in each endpoint's alarm: an endpoint's one alarm is the backstop of
 * its unfinished executions, armed a minute ahead of every webhook that finds it unset.
 * Moving it back to the endpoint's next expiring record once that work was done was one
 * more row written for every webhook that arrived alone. The round costs each endpoint a
 * call twice a day instead, whatever its traffic.
 * @module
 */
import { RETENTION_ROUND_BATCH, RETENTION_ROUND_CONCURRENCY } from '../limits'

export interface RoundDeps {
	/** Endpoint ids after `cursor` ('' for the start), in id order, at most `limit`. */
	endpointsAfter(cursor: string, limit: number): string[]
	/** Asks one endpoint to sweep. A failure is left for the next round. */
	sweep(endpointId: string): Promise<unknown>
}

/**
 * One run: sweeps the next batch of endpoints. Returns the cursor to go on from, or null
 * when the round is complete.
 */
export async function roundStep(deps: RoundDeps, cursor: string): Promise<string | null> {
	const ids = deps.endpointsAfter(cursor, RETENTION_ROUND_BATCH)
	let next = 0
	const worker = async () => {
		while (next < ids.length) {
			const id = ids[next++] as string
			try {
				await deps.sweep(id)
			} catch {
				// Retention is not urgent to the minute; the next round asks again.
			}
		}
	}
	await Promise.all(Array.from({ length: RETENTION_ROUND_CONCURRENCY }, worker))
	return ids.length === RETENTION_ROUND_BATCH ? (ids.at(-1) as string) : null
}
