/**
 * Instance config checked against the integration's declaration. Pure.
 * @module
 */
import type { Json, JsonObject } from '../lib/json'
import type { ConfigVariable } from './define'

export type ConfigCheck =
	| { ok: true; config: JsonObject }
	| { ok: false; field: string; message: string }

/** Applies defaults, refuses unknown or mistyped values and missing required ones. */
export function checkConfig(
	declaration: Record<string, ConfigVariable> | undefined,
	input: JsonObject,
): ConfigCheck {
	const decl = declaration ?? {}
	for (const key of Object.keys(input)) {
		if (!Object.hasOwn(decl, key))
			return { ok: false, field: `config.${key}`, message: 'not declared by the integration' }
	}
	const config: JsonObject = {}
	for (const [key, variable] of Object.entries(decl)) {
		const value: Json | undefined = Object.hasOwn(input, key) ? input[key] : variable.default
		if (value === undefined || value === null) {
			if (variable.required !== false && variable.default === undefined) {
				return { ok: false, field: `config.${key}`, message: 'is required' }
			}
			continue
		}
		if (variable.type !== 'json' && typeof value !== variable.type) {
			return { ok: false, field: `config.${key}`, message: `must be a ${variable.type}` }
		}
		config[key] = value
	}
	return { ok: true, config }
}

/** The config as the admin API shows it: secret values replaced. */
export function redactConfig(
	declaration: Record<string, ConfigVariable> | undefined,
	config: JsonObject,
): JsonObject {
	const out: JsonObject = {}
	for (const [key, value] of Object.entries(config)) {
		out[key] = declaration?.[key]?.secret ? '[redacted]' : value
	}
	return out
}
