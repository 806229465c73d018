/**
 * The gateway's one logger: JSON lines with ids and reasons, never payloads or secrets.
 * @module
 */
export type LogLevel = 'info' | 'warn' | 'error'

export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
	const line = JSON.stringify({ level, msg, ...fields })
	if (level === 'error') console.error(line)
	else if (level === 'warn') console.warn(line)
	else console.log(line)
}
