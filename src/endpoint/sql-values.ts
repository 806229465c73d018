/**
 * Binding values to SQL statements built from objects.
 * @module
 */

/** What a statement binds: SQLite stores a byte view as the blob it views. */
export type Bindable = SqlStorageValue | Uint8Array

/** `name = ?` pairs and their values, so each value stays beside its column. */
export function assignments(values: Record<string, Bindable>): { set: string; params: Bindable[] } {
	const names = Object.keys(values)
	return { set: names.map((n) => `${n} = ?`).join(', '), params: Object.values(values) }
}

/** How many rows the statement just run changed (`rowsWritten` would count index entries too). */
export const changes = (sql: SqlStorage): number =>
	sql.exec<{ n: number }>('SELECT changes() AS n').one().n
