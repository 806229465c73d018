/**
 * Request builders and response assertions shared by the handshake tests.
 * @module
 */
import { expect } from 'vitest'
import type { HandshakeRequest } from '../../src/handshakes'

const encoder = new TextEncoder()

export const BASE = 'https://gateway.test/trigger/abcdefghijklmnopqrstuvwxyz'

export function get(query: string): HandshakeRequest {
	return {
		method: 'GET',
		url: new URL(`${BASE}?${query}`),
		headers: new Headers(),
		contentType: '',
		rawBody: new Uint8Array(0),
	}
}

export function post(
	query: string,
	body: string | object,
	contentType = 'application/json',
): HandshakeRequest {
	const text = typeof body === 'string' ? body : JSON.stringify(body)
	return {
		method: 'POST',
		url: new URL(query ? `${BASE}?${query}` : BASE),
		headers: new Headers(contentType ? { 'content-type': contentType } : {}),
		contentType,
		rawBody: encoder.encode(text),
	}
}

/** Any request, with headers: `contentType` comes from the `content-type` header. */
export function request(
	method: string,
	query: string,
	headers: Record<string, string> = {},
	body: string | object = '',
): HandshakeRequest {
	const text = typeof body === 'string' ? body : JSON.stringify(body)
	const h = new Headers(headers)
	return {
		method,
		url: new URL(query ? `${BASE}?${query}` : BASE),
		headers: h,
		contentType: h.get('content-type') ?? '',
		rawBody: encoder.encode(text),
	}
}

/** A value no browser may render: it must come back as inert plain text. */
export const SCRIPT = '<script>alert(document.cookie)</script>'

export async function expectEcho(response: Response, body: string): Promise<void> {
	expect(response.status).toBe(200)
	expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8')
	expect(response.headers.get('x-content-type-options')).toBe('nosniff')
	expect(response.headers.get('cache-control')).toBe('no-store')
	expect(await response.text()).toBe(body)
}

export async function expectJson(response: Response, body: unknown): Promise<void> {
	expect(response.status).toBe(200)
	expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
	expect(response.headers.get('x-content-type-options')).toBe('nosniff')
	expect(await response.json()).toEqual(body)
}

/** 200 with no body and no content type: the status is the whole answer. */
export async function expectEmpty(response: Response): Promise<void> {
	expect(response.status).toBe(200)
	expect(response.headers.get('content-type')).toBeNull()
	expect(response.headers.get('cache-control')).toBe('no-store')
	expect(await response.text()).toBe('')
}

/** A refusal: the given status, a JSON error, and none of `secrets` in the body. */
export async function expectRefusal(
	response: Response,
	status: number,
	secrets: string[],
): Promise<void> {
	expect(response.status).toBe(status)
	expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8')
	const text = await response.text()
	expect(JSON.parse(text)).toEqual({ error: expect.any(String) })
	for (const secret of secrets) expect(text).not.toContain(secret)
}

/** The answer of a match that must exist. */
export function answerOf(match: { answer(): Promise<Response> } | null): Promise<Response> {
	expect(match).not.toBeNull()
	return (match as { answer(): Promise<Response> }).answer()
}

/** HMAC-SHA256 computed here, independently of the module's cached-key path. */
export async function hmac(secret: string, message: string): Promise<Uint8Array> {
	const key = await crypto.subtle.importKey(
		'raw',
		encoder.encode(secret),
		{ name: 'HMAC', hash: 'SHA-256' },
		false,
		['sign'],
	)
	return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)))
}

export const hex = (bytes: Uint8Array): string =>
	Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

export const base64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes))
