/**
 * The EndpointDO's log lines (JSON, ids never payloads), shared by its collaborators.
 * @module
 */
export function log(level: 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
	const line = JSON.stringify({ level, msg, ...fields })
	if (level === 'error') console.error(line)
	else console.warn(line)
}
