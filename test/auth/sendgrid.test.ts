import { describe, expect, it } from 'vitest'
import { authConfigSchema } from '../../src/auth'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Vectors: sendgrid/sendgrid-nodejs packages/eventwebhook/src/eventwebhook.spec.js
 * (commit 15176de0fbe157ee5b4894ddd326f6077295e228): the single-event and multi-event
 * signatures with their public keys, the "invalid key" key and the "bad signature"
 * signature, verified there by @sendgrid/eventwebhook (starkbank-ecdsa).
 * Scheme: https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
 */
const PUBLIC_KEY =
	'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE83T4O/n84iotIvIW4mdBgQ/7dAfSmpqIM8kF9mN1flpVKS3GRqe62gw+2fNNRaINXvVpiglSI8eNEc6wEA3F+g=='
const SIGNATURE =
	'MEUCIGHQVtGj+Y3LkG9fLcxf3qfI10QysgDWmMOVmxG0u6ZUAiEAyBiXDWzM+uOe5W0JuG+luQAbPIqHh89M15TluLtEZtM='
const TIMESTAMP = '1600112502'
const PAYLOAD = `${JSON.stringify([
	{
		email: 'hello@world.com',
		event: 'dropped',
		reason: 'Bounced Address',
		sg_event_id: 'ZHJvcC0xMDk5NDkxOS1MUnpYbF9OSFN0T0doUTRrb2ZTbV9BLTA',
		sg_message_id: 'LRzXl_NHStOGhQ4kofSm_A.filterdrecv-p3mdw1-756b745b58-kmzbl-18-5F5FC76C-9.0',
		'smtp-id': '<LRzXl_NHStOGhQ4kofSm_A@ismtpd0039p1iad1.sendgrid.net>',
		timestamp: 1600112492,
	},
])}\r\n`

const PUBLIC_KEY_MULTIPLE =
	'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQ4LIFtWztlsF7skFqOncjD1lun4H5w8XOhyOArHW9RcIx/FfEzx6cikC/yPfUvwaX/JScE7Fc9CJD2afQ9Ok3Q=='
const SIGNATURE_MULTIPLE =
	'MEYCIQC/I4o6vCgqRYrTljjoVWB/GRWNtxeePlLMHr3x9ETeRQIhAIpV+03nREPTTHWSW0wIOA0EoMPdcNgXa70yCaqDJlu5'
const TIMESTAMP_MULTIPLE = '1619651159'
const PAYLOAD_MULTIPLE = `${JSON.stringify([
	{
		email: 'invalid@gmail.com',
		event: 'processed',
		send_at: 0,
		sg_event_id: 'cHJvY2Vzc2VkLTE5OTQyMTEyLXFOd0JMZ1BRUWpXNkRKdktRd1NBYnctMA',
		sg_message_id: 'qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0',
		'smtp-id': '<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>',
		timestamp: 1619651146,
	},
	{
		email: 'invalid@gmail.com',
		event: 'bounce',
		ip: '167.89.101.76',
		reason:
			'552 5.2.2 The email account that you tried to reach is over quota and inactive. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm c17si1130468pgv.34 - gsmtp',
		sg_event_id: 'Ym91bmNlLTAtMTk5NDIxMTItcU53QkxnUFFRalc2REp2S1F3U0Fidy0w',
		sg_message_id: 'qNwBLgPQQjW6DJvKQwSAbw.filterdrecv-canary-547b64655b-cw6zx-1-6089EA4A-56.0',
		'smtp-id': '<qNwBLgPQQjW6DJvKQwSAbw@ismtpd0178p1mdw1.sendgrid.net>',
		status: '5.2.2',
		timestamp: 1619651147,
		tls: 1,
		type: 'blocked',
	},
])
	.split('},{')
	.join('},\r\n{')}\r\n`

const INVALID_KEY =
	'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEqTxd43gyp8IOEto2LdIfjRQrIbsd4SXZkLW6jDutdhXSJCWHw8REntlo7aNDthvj+y7GjUuFDb/R1NGe1OPzpA=='
const BAD_SIGNATURE =
	'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH3j/0='

const SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature'
const TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp'
const auth = { type: 'publicKey', preset: 'sendgrid', keys: [PUBLIC_KEY] }
const sdk = {
	body: PAYLOAD,
	headers: { [SIGNATURE_HEADER]: SIGNATURE, [TIMESTAMP_HEADER]: TIMESTAMP },
	now: Number(TIMESTAMP) * SECONDS,
}

const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)))

async function keyPair() {
	const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
		'sign',
		'verify',
	])) as CryptoKeyPair
	const spki = b64((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer)
	return { privateKey: pair.privateKey, publicKey: spki }
}

describe('sendgrid preset (ECDSA P-256, publicKey)', () => {
	it('accepts the @sendgrid/eventwebhook single-event vector', async () => {
		await expectOk(auth, sdk)
	})

	it('accepts the multi-event vector (CRLF between events) under its own key', async () => {
		await expectOk(
			{ ...auth, keys: [PUBLIC_KEY_MULTIPLE] },
			{
				body: PAYLOAD_MULTIPLE,
				headers: { [SIGNATURE_HEADER]: SIGNATURE_MULTIPLE, [TIMESTAMP_HEADER]: TIMESTAMP_MULTIPLE },
				now: Number(TIMESTAMP_MULTIPLE) * SECONDS,
			},
		)
	})

	it('rejects the SDK test "invalid key", and accepts when any configured key matches', async () => {
		await expectFail({ ...auth, keys: [INVALID_KEY] }, sdk)
		await expectOk({ ...auth, keys: [INVALID_KEY, PUBLIC_KEY] }, sdk)
	})

	it('rejects a tampered body, including the trailing CRLF removed', async () => {
		await expectFail(auth, { ...sdk, body: 'payload' })
		await expectFail(auth, { ...sdk, body: PAYLOAD.trimEnd() })
	})

	it('rejects the SDK test "bad signature" and malformed signatures', async () => {
		for (const value of [BAD_SIGNATURE, '', 'not base64!', SIGNATURE.slice(0, -4), 'MAA=']) {
			await expectFail(auth, withHeader(sdk, SIGNATURE_HEADER, value))
		}
	})

	it('rejects a changed, malformed or missing timestamp', async () => {
		await expectFail(auth, withHeader(sdk, TIMESTAMP_HEADER, '1600112503'))
		await expectFail(auth, withHeader(sdk, TIMESTAMP_HEADER, 'timestamp'))
		await expectFail(auth, withHeader(sdk, TIMESTAMP_HEADER, undefined))
	})

	it('rejects a stale or future timestamp beyond the tolerance', async () => {
		await expectOk(auth, { ...sdk, now: sdk.now + 5 * MINUTES })
		await expectFail(auth, { ...sdk, now: sdk.now + 5 * MINUTES + SECONDS })
		await expectFail(auth, { ...sdk, now: sdk.now - 5 * MINUTES - SECONDS })
		await expectOk({ ...auth, toleranceSeconds: 3600 }, { ...sdk, now: sdk.now + 59 * MINUTES })
	})

	it('signs with a private key what the public key verifies (DER signature, as SendGrid sends)', async () => {
		const { privateKey, publicKey } = await keyPair()
		const mine = { ...auth, keys: [publicKey] }
		const init = await signed(mine, { body: PAYLOAD, now: sdk.now }, privateKey)
		expect(header(init, TIMESTAMP_HEADER)).toBe(TIMESTAMP)
		// A DER SEQUENCE of two INTEGERs, base64: 70-72 bytes for P-256.
		const der = atob(header(init, SIGNATURE_HEADER))
		expect(der.charCodeAt(0)).toBe(0x30)
		expect(der.length).toBeGreaterThanOrEqual(8)
		await expectOk(mine, init)
		await expectFail(auth, init)
		await expectFail(mine, { ...init, body: `${PAYLOAD} ` })
	})

	it('refuses a verification key that is not a P-256 public key on write', () => {
		for (const key of ['', 'abc', btoa('x'.repeat(91)), `${PUBLIC_KEY.slice(0, -4)}AAA=`]) {
			const parsed = authConfigSchema.safeParse({ ...auth, keys: [key] })
			expect(parsed.success, key).toBe(false)
			expect(parsed.error?.issues[0]?.path).toEqual(['keys', 0])
		}
		// PEM armor, as some consoles copy it, is accepted.
		const pem = `-----BEGIN PUBLIC KEY-----\n${PUBLIC_KEY.slice(0, 64)}\n${PUBLIC_KEY.slice(64)}\n-----END PUBLIC KEY-----\n`
		expect(authConfigSchema.safeParse({ ...auth, keys: [pem] }).success).toBe(true)
	})
})
