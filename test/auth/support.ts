/**
 * Request builders shared by the sender-authentication tests.
 * @module
 */
import { expect } from 'vitest'
import {
	type AuthConfig,
	type AuthRefusal,
	type AuthResult,
	authConfigSchema,
	createAuthenticator,
	type SignedRequest,
	signRequest,
} from '../../src/auth'

const encoder = new TextEncoder()

export const URL_BASE = 'https://gateway.test/trigger/abcdefghijklmnopqrstuvwxyz'

export interface RequestInit {
	method?: string
	url?: string
	headers?: Record<string, string>
	body?: string | Uint8Array
	/** Current time in ms. */
	now: number
}

export const bytes = (body: string | Uint8Array): Uint8Array =>
	typeof body === 'string' ? encoder.encode(body) : body

export function request(init: RequestInit): SignedRequest {
	return {
		method: init.method ?? 'POST',
		url: init.url ?? URL_BASE,
		headers: new Headers(init.headers ?? {}),
		rawBody: bytes(init.body ?? ''),
		now: init.now,
	}
}

/** The config as the admin API would store it (defaults applied, invalid ones refused). */
export const config = (input: unknown): AuthConfig => authConfigSchema.parse(input)

/** Verifies with a fresh authenticator, as the trigger route does per cached config. */
export function verify(auth: unknown, init: RequestInit): Promise<AuthResult> {
	return createAuthenticator(config(auth)).verify(request(init))
}

/** A request signed by our own sender side for `auth` (with the private key for `publicKey`). */
export async function signed(
	auth: unknown,
	init: RequestInit,
	privateKey?: CryptoKey,
): Promise<RequestInit> {
	const input = {
		method: init.method ?? 'POST',
		url: init.url ?? URL_BASE,
		headers: init.headers ?? {},
		body: bytes(init.body ?? ''),
		now: init.now,
	}
	const headers = await signRequest(config(auth), input, { privateKey })
	return { ...init, headers: { ...init.headers, ...headers } }
}

export const OK = { ok: true }
export const FAIL = { ok: false }

export async function expectOk(auth: unknown, init: RequestInit, deliveryId?: string) {
	const result = await verify(auth, init)
	expect(result).toEqual(deliveryId === undefined ? OK : { ok: true, deliveryId })
}

/**
 * Refused, with nothing but an operator-only reason (and basic auth's challenge header);
 * with `reason`, that reason.
 */
export async function expectFail(auth: unknown, init: RequestInit, reason?: AuthRefusal) {
	const result = await verify(auth, init)
	expect(result).toMatchObject(FAIL)
	expect(Object.keys(result).filter((k) => !['ok', 'reason', 'headers'].includes(k))).toEqual([])
	if (reason) expect(result).toMatchObject({ reason })
}

/** `init` with one header replaced (or removed with `undefined`). */
export function withHeader(
	init: RequestInit,
	name: string,
	value: string | undefined,
): RequestInit {
	const headers = Object.fromEntries(
		Object.entries(init.headers ?? {}).filter(([k]) => k.toLowerCase() !== name.toLowerCase()),
	)
	if (value !== undefined) headers[name] = value
	return { ...init, headers }
}

export function header(init: RequestInit, name: string): string {
	const found = Object.entries(init.headers ?? {}).find(
		([k]) => k.toLowerCase() === name.toLowerCase(),
	)
	if (!found) throw new Error(`no ${name} header`)
	return found[1]
}

export const SECONDS = 1000
export const MINUTES = 60 * SECONDS
