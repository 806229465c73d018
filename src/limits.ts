/**
 * Platform limits and product defaults, in one place so every check cites its source.
 * @module
 */

/**
 * Largest queue message we build. Queues cap a message at 128 KB (1 KB = 1000 bytes)
 * including ~100 bytes of internal metadata; we keep a further margin for our own
 * envelope so a body that fits by our estimate never fails `send()`.
 * @see https://developers.cloudflare.com/queues/platform/limits/
 */
export const MAX_QUEUE_MESSAGE_BYTES = 128_000 - 100

/**
 * `sendBatch` takes at most 100 messages and 256 KB in total.
 * @see https://developers.cloudflare.com/queues/platform/limits/
 */
export const SEND_BATCH_MAX_MESSAGES = 100
export const SEND_BATCH_MAX_BYTES = 256_000 - 100 * 100

/**
 * Executions packed into one queue message stay under this many bytes: Queues bill each
 * 64 KB of a message as one operation, so a larger pack would save nothing.
 * @see https://developers.cloudflare.com/queues/platform/pricing/
 */
export const PACK_MAX_BYTES = 63 * 1024

/**
 * At most this many executions share a queue message, so that a consumer batch (10
 * messages, wrangler.toml) runs at most 100 flows at once: one invocation's memory and
 * its 6 simultaneous outbound connections are shared by all of them.
 * @see https://developers.cloudflare.com/workers/platform/limits/
 */
export const PACK_MAX_EXECUTIONS = 10

/** Bodies at or below this size travel inside the queue message; larger ones go to R2. */
export const INLINE_BODY_MAX_BYTES = 96_000

/**
 * Longest `delaySeconds` a queue accepts (12 h); larger values make `retry()` throw.
 * @see https://developers.cloudflare.com/queues/configuration/batching-retries/
 */
export const MAX_QUEUE_DELAY_SECONDS = 43_200

/** SPEC: an endpoint accepts at most 50 requests in any rolling 1-second window by default. */
export const DEFAULT_REQUESTS_PER_SECOND = 50

/** Upper bound for a configured rate: the DO's own soft limit is ~1,000 rps with writes far lower. */
export const MAX_REQUESTS_PER_SECOND = 1_000

/** The rolling window's width. */
export const RATE_WINDOW_MS = 1_000

/** Default per-endpoint body limit (10 MB). Workers' own limit is 100 MB on Free/Pro. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024

/** Largest configurable body limit: the Free/Pro plan request body limit. */
export const MAX_BODY_BYTES_CEILING = 100 * 1024 * 1024

/** SPEC: a synchronous request waits this long before getting 202 + Location. */
export const DEFAULT_SYNC_WAIT_MS = 30_000

/** SPEC: result URLs expire after 24 h by default. */
export const DEFAULT_RESULT_TTL_SECONDS = 86_400

/**
 * An asynchronous execution's result up to this size is kept in its execution row and
 * served from the EndpointDO; larger ones, and every synchronous result, go to R2. An R2
 * PUT per execution was the largest single cost of the accept path (and a Class A
 * operation each in production), while nearly all results are small JSON.
 */
export const INLINE_RESULT_MAX_BYTES = 16 * 1024

/** SPEC: delivery ids are remembered for 24 h. */
export const DEDUPE_WINDOW_MS = 24 * 60 * 60 * 1000

/** How long the Worker trusts an endpoint config it cached (admin changes in other isolates). */
export const CONFIG_CACHE_TTL_MS = 5_000

/** Retry-After for 503s: a short pause before the sender tries again. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5

/** Step outputs and logs kept on an execution record are truncated to this many characters. */
export const MAX_RECORDED_OUTPUT_CHARS = 16_384

/** Most log lines kept per execution. */
export const MAX_LOG_LINES = 200

/** How long a message the queue refused waits before the DO alarm sends it again (first time). */
export const REDISPATCH_AFTER_MS = 10_000

/**
 * Finished execution records are kept this long. A new execution takes the row of the
 * oldest record past it (one row written instead of an insert and, later, a delete); a
 * sweep drops those no new execution took RETENTION_RECYCLE_SLACK_MS later (the
 * endpoint's alarm when it runs, the registry's round at least every RETENTION_ROUND_MS),
 * so a record is gone within a day after its 30 days.
 */
export const EXECUTION_RETENTION_MS = 30 * 24 * 60 * 60 * 1000

/**
 * How long an expired record waits for a new execution to take its row before a sweep
 * deletes it: traffic a month ago and now differ in shape by the hour. With the round's
 * period it adds up to a day past retention at most.
 */
export const RETENTION_RECYCLE_SLACK_MS = 12 * 60 * 60 * 1000

/**
 * At most this many expired records are dropped per alarm, so one alarm never holds the
 * object for long (an endpoint back from a long quiet spell may have a backlog of them);
 * the alarm comes back within a second while more remain.
 */
export const RETENTION_SWEEP_MAX = 2_000

/**
 * How often the registry asks every endpoint to drop what is past retention (its
 * retention round, registry/retention-round.ts). An endpoint that goes idle keeps no
 * alarm of its own for retention: re-arming one after every sparse webhook was a row
 * written per webhook, where the round costs each endpoint two calls a day (60 DO
 * requests a month: $0.000009), whatever its traffic.
 */
export const RETENTION_ROUND_MS = 12 * 60 * 60 * 1000

/** Endpoints asked per run of the registry's alarm; more come a second later. */
export const RETENTION_ROUND_BATCH = 100

/** Calls to endpoints in flight at once during the round (a Worker's outgoing connections are 6). */
export const RETENTION_ROUND_CONCURRENCY = 6

/**
 * How long a runner holds an execution without a word before it counts as dead and the
 * execution is taken over. A flow that runs longer renews its lease every
 * LEASE_RENEW_EVERY_MS (one DO call and one row written per renewal, so the common
 * short flow pays nothing); a queue consumer invocation can run for at most 15 minutes.
 * @see https://developers.cloudflare.com/queues/platform/limits/
 */
export const LEASE_MS = 60 * 1000
export const LEASE_RENEW_EVERY_MS = 20 * 1000

/** Slack after a lease lapses before the alarm takes its execution over. */
export const LEASE_GRACE_MS = 30 * 1000

/**
 * A retry due within this long is kept in the endpoint's memory until the attempt after
 * it reports: a row written per quick retry was most of what a retry cost. A later one is
 * written at once, since after a restart of the object the backstop could otherwise run it
 * before its delay (docs/cost.md).
 */
export const RETRY_IN_MEMORY_MAX_MS = 60 * 1000

/**
 * The unfinished watermark (every execution below it finished) is persisted when it has
 * moved this far: often enough that a restart reads few rows to catch up, rarely enough
 * that a webhook pays a negligible share of a row for it (docs/cost.md).
 */
export const UNFINISHED_PERSIST_EVERY = 64

/**
 * A FIFO lane whose in-flight execution shows no progress for this long is re-driven
 * (its message sent again): a lost message or completion report must not stall the
 * lane. A live attempt renews its lease, and the alarm then waits for the lease instead.
 */
export const LANE_STALL_MS = LEASE_MS + LEASE_GRACE_MS

/**
 * A queued (or retrying) execution whose message has not arrived this long after it was
 * due is sent again: the message may be gone (a queue purged or re-created, messages
 * expired after a long consumer outage, a restart of the local dev server). A duplicate
 * of a message that was only late is dropped by `start`.
 */
export const REDRIVE_AFTER_MS = 60 * 1000

/**
 * An overdue message counts as lost, not late, once a message sent this much later has
 * been delivered (queues keep send order only roughly).
 */
export const OVERTAKEN_AFTER_MS = 30 * 1000

/**
 * Re-drives (re-sends of a vanished message, take-overs of a dead runner, re-sends after
 * a queue refusal) back off from their first delay, doubling up to this interval...
 */
export const REDRIVE_MAX_INTERVAL_MS = 6 * 60 * 60 * 1000

/**
 * ...and an execution re-driven this many times ends `failed` with the reason: about a
 * day of re-sends, far past any queue outage the gateway can wait out.
 */
export const REDRIVE_MAX = 12

/**
 * A consumer that finishes a FIFO execution runs the lane's next one itself (no queue
 * hop), for at most this many executions or this long per queue message. Its batch
 * returns, and frees the consumer for other lanes and endpoints, only when every chain
 * has ended; an invocation has 15 minutes of wall clock in all, and a chain cut short
 * by that waits for the lane's stall deadline. Past the cap the lane continues through
 * the queue.
 */
export const LANE_CHAIN_MAX = 50
export const LANE_CHAIN_MAX_MS = 10_000

/** Page size bounds for execution listings. */
export const DEFAULT_PAGE_SIZE = 50
export const MAX_PAGE_SIZE = 200

/** Admin API request bodies (instance configs, endpoint patches, integration definitions). */
export const MAX_ADMIN_BODY_BYTES = 1024 * 1024

/**
 * Console form posts (sign-in, definitions, the test webhook form): refused before they
 * are buffered, since the sign-in form is reachable without a session.
 */
export const MAX_CONSOLE_BODY_BYTES = 1024 * 1024

/** Ranges in one endpoint's IP allowlist (each request is checked against all of them). */
export const MAX_ALLOWED_IP_RANGES = 256
