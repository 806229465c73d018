/**
 * The EndpointDO's SQLite schema. `PRAGMA user_version` is unsupported in Durable
 * Objects, so applied migrations are tracked in `_sql_schema_migrations`.
 * @module
 */

const MIGRATIONS: readonly string[] = [
	`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
	 INSERT INTO meta (key, value) VALUES ('last_seq', '0');
	 CREATE TABLE executions (
	   seq INTEGER PRIMARY KEY,
	   status TEXT NOT NULL,
	   attempts INTEGER NOT NULL DEFAULT 0,
	   received_at INTEGER NOT NULL,
	   started_at INTEGER,
	   finished_at INTEGER,
	   updated_at INTEGER NOT NULL,
	   source TEXT NOT NULL,
	   sync INTEGER NOT NULL DEFAULT 0,
	   delivery_id TEXT,
	   instance_id TEXT NOT NULL,
	   flow TEXT NOT NULL,
	   result_token TEXT NOT NULL,
	   result_type TEXT,
	   result_size INTEGER,
	   error TEXT,
	   attempt_errors TEXT,
	   steps TEXT,
	   logs TEXT,
	   method TEXT NOT NULL,
	   path TEXT NOT NULL,
	   content_type TEXT NOT NULL,
	   size INTEGER NOT NULL,
	   lane TEXT,
	   lease_holder TEXT,
	   lease_until INTEGER,
	   archived INTEGER NOT NULL DEFAULT 0,
	   replay_of TEXT
	 );
	 CREATE INDEX executions_by_time ON executions (received_at DESC, seq DESC);
	 CREATE INDEX executions_by_status ON executions (status, received_at DESC);
	 CREATE TABLE deliveries (delivery_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, received_at INTEGER NOT NULL);
	 CREATE INDEX deliveries_by_time ON deliveries (received_at);
	 CREATE TABLE pending (
	   seq INTEGER PRIMARY KEY,
	   lane TEXT,
	   state TEXT NOT NULL,
	   due_at INTEGER,
	   message TEXT NOT NULL,
	   body BLOB
	 );
	 CREATE INDEX pending_by_lane ON pending (lane, state, seq);
	 CREATE INDEX pending_by_due ON pending (state, due_at);`,
	// The received request (headers, path, body or its R2 reference) is kept with its
	// execution, for replay and the console: no per-execution archive write elsewhere.
	// Rows recorded before this have NULL here and an R2 archive instead (flagged by
	// `archived`, which nothing sets any more).
	`ALTER TABLE executions ADD COLUMN request TEXT;
	 ALTER TABLE executions ADD COLUMN request_body BLOB;`,
	// Small asynchronous results live in their row until they expire (the partial index
	// finds expired ones without scanning); everything else stays in R2.
	`ALTER TABLE executions ADD COLUMN result_body BLOB;
	 ALTER TABLE executions ADD COLUMN result_expires_at INTEGER;
	 CREATE INDEX executions_inline_results ON executions (result_expires_at) WHERE result_body IS NOT NULL;`,
	// How many times the alarm re-drove an execution nobody was driving (a vanished
	// message, a dead runner, a queue refusal): the backstop gives up after a bound.
	// `lease_until` is now every non-terminal row's deadline, not only a running one's.
	`ALTER TABLE executions ADD COLUMN redrives INTEGER NOT NULL DEFAULT 0;`,
	// Every index entry added is a row written ($1 per million), so indexes are kept to
	// what a guarantee needs, and partial where rows pass through them (leaving one is
	// free). Time order is seq order (received_at never decreases with seq), so the time
	// index goes; in-flight rows are the ones not finished, and nothing in that index
	// changes on start or retry; failures are the only status listed often enough to
	// index; a delivery id lives in its execution's row. Results kept in rows are no
	// longer cleared at expiry (checked at read, dropped with the row at retention).
	`DROP INDEX executions_by_time;
	 DROP INDEX executions_by_status;
	 DROP INDEX executions_inline_results;
	 CREATE INDEX executions_in_flight ON executions (seq) WHERE finished_at IS NULL;
	 CREATE INDEX executions_failed ON executions (seq) WHERE status = 'failed';
	 CREATE INDEX executions_by_delivery ON executions (delivery_id) WHERE delivery_id IS NOT NULL;`,
	// A FIFO entry's state and deadline change as its lane moves; indexed, each change was
	// two more rows written. Lanes are read by (lane, seq), where a lane's in-flight entry
	// is its first; the alarm's deadline scan reads the outbox (in-flight and held
	// entries only) whole.
	`DROP INDEX pending_by_lane;
	 DROP INDEX pending_by_due;
	 CREATE INDEX pending_by_lane ON pending (lane, seq);`,
	// The data integration version an execution ran (null for code integrations): set in
	// the insert and the start that write the row anyway, so it costs no row.
	`ALTER TABLE executions ADD COLUMN integration_version INTEGER;`,
	// Unfinished rows are found by reading the primary key from a watermark below which
	// every execution finished (meta 'unfinished_from'), not through an index entry every
	// insert paid a row for; the sent watermark goes: a message that never reached the
	// queue is one more vanished message, re-sent at its row's deadline.
	`DROP INDEX executions_in_flight;
	 DELETE FROM meta WHERE key = 'sent_through';`,
	// FIFO lanes are kept in memory over the execution rows (outbox.ts): each lane's
	// unfinished executions in seq order. Dropping a table writes no row.
	`DROP TABLE pending;`,
]

export function migrate(sql: SqlStorage, migrations: readonly string[] = MIGRATIONS): void {
	sql.exec(
		'CREATE TABLE IF NOT EXISTS _sql_schema_migrations (id INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
	)
	const applied =
		sql.exec<{ id: number | null }>('SELECT MAX(id) AS id FROM _sql_schema_migrations').one().id ??
		0
	for (let i = applied; i < migrations.length; i++) {
		sql.exec(migrations[i] as string)
		sql.exec('INSERT INTO _sql_schema_migrations (id, applied_at) VALUES (?, ?)', i + 1, Date.now())
	}
}
