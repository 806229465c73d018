/**
 * Keeping an endpoint's storage bounded: finished records past retention that no new
 * execution took the row of (`ExecutionStore.insert` recycles the oldest), dropped oldest
 * first and a bounded batch per sweep, and the legacy `deliveries` table aged out. Swept
 * by the endpoint's alarm whenever it runs, and by the registry's retention round (every
 * RETENTION_ROUND_MS) on an endpoint that keeps no alarm. Deletes are billed one row each
 * whatever the indexes: on an endpoint whose traffic goes on, new executions take expired
 * rows and this deletes little; on one gone quiet, it is the one write each of its last
 * webhooks pays later.
 * @module
 */
import { RETENTION_SWEEP_MAX } from '../limits'
import { changes } from './sql-values'

/**
 * Records the retention sweep may drop once expired: finished ones, except the newest,
 * which carries the sequence number.
 */
const SWEEPABLE = "status IN ('succeeded', 'failed') AND seq < (SELECT MAX(seq) FROM executions)"

export class Retention {
	/** `seqReceivedBy`: the newest seq received at or before a time (see ExecutionStore). */
	constructor(
		private readonly sql: SqlStorage,
		private readonly seqReceivedBy: (t: number) => number,
	) {}

	/** Drops delivery ids received at or before `cutoff`. */
	purgeDeliveries(cutoff: number): void {
		this.sql.exec('DELETE FROM deliveries WHERE received_at <= ?', cutoff)
	}

	/**
	 * Drops records that finished before `cutoff`, oldest first, at most
	 * RETENTION_SWEEP_MAX of them; returns how many. A record finishes after it is
	 * received, so none finished before the cutoff was received after it: the scan is
	 * bounded by the seq received at the cutoff. Filtering on status alone walked every
	 * finished record on each alarm, which runs every few seconds on a busy endpoint
	 * (docs/benchmarks.md). The newest record stays, because the next sequence number is
	 * derived from it.
	 */
	sweep(cutoff: number): number {
		this.sql.exec(
			`DELETE FROM executions WHERE seq IN (
			   SELECT seq FROM executions
			   WHERE seq <= ?3 AND received_at <= ?1 AND finished_at <= ?1 AND ${SWEEPABLE}
			   ORDER BY seq LIMIT ?2)`,
			cutoff,
			RETENTION_SWEEP_MAX,
			this.seqReceivedBy(cutoff),
		)
		return changes(this.sql)
	}

	oldestDelivery(): number | null {
		return this.sql
			.exec<{ at: number | null }>('SELECT MIN(received_at) AS at FROM deliveries')
			.one().at
	}
}
