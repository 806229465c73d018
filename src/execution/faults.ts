/**
 * Test-only fault injection for the queue consumer. Production code never sets these;
 * the fault-injection suite does, from the same isolate, to prove that crashed batches
 * and duplicate deliveries lose nothing and run nothing twice.
 * @module
 */
export interface ConsumerFaults {
	/** Called once per batch; returning true crashes the batch (throws) after `crashAfter` messages. */
	crashBatch?: (batchIndex: number) => boolean
	/** Messages handled before a crashing batch throws. */
	crashAfter?: number
	/**
	 * Called per message; returning true makes it vanish unseen (acked without a start),
	 * as a purged queue or a restarted local dev server loses its backlog.
	 */
	vanish?: (executionId: string) => boolean
	/** Called per message; returning true sends a duplicate of it back to the queue. */
	duplicate?: (executionId: string) => boolean
	/**
	 * Called after a successful attempt; returning true loses it: no completion report,
	 * and the message is acked as if a crashed consumer's delivery had vanished.
	 */
	loseCompletion?: (executionId: string) => boolean
	/**
	 * Called when a consumer is about to run a FIFO lane's next execution directly (no
	 * queue delivery), after the DO started it. Throwing crashes the consumer right there.
	 */
	onChained?: (executionId: string) => void
}

export const consumerFaults: ConsumerFaults = {}
let batches = 0

export function nextBatchIndex(): number {
	return batches++
}

export function resetConsumerFaults(): void {
	for (const key of Object.keys(consumerFaults)) delete consumerFaults[key as keyof ConsumerFaults]
	batches = 0
}
