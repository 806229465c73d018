import { afterEach, describe, expect, it, vi } from 'vitest'
import { authConfigSchema, signRequest } from '../../src/auth'
import { pinnedCertificateUrl } from '../../src/auth/public-key/sns'
import { certificatePublicKey } from '../../src/auth/public-key/x509'
import { CERTIFICATE, CERTIFICATE_SPKI_BASE64, PRIVATE_KEY } from './sns-fixture'
import { expectFail, expectOk, type RequestInit } from './support'

/**
 * AWS publishes the scheme, not a signed vector; its official validator's tests
 * (aws/aws-js-sns-message-validator test/validator.js @
 * a6ba4d646dc60912653357660301f3b25f94d686) sign messages with a certificate they generate,
 * as `Name\nValue\n` for each signed field. These tests do the same with the fixture
 * certificate, served as Amazon's by a stand-in for the certificate host.
 * Scheme: https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 */
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:orders'
const NOW = Date.UTC(2026, 0, 1, 12)
const auth = { type: 'publicKey', preset: 'aws-sns', topicArns: [TOPIC] }

const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
const der = (pem: string) =>
	Uint8Array.from(atob(pem.replace(/-----[A-Z ]+-----|\s/g, '')), (c) => c.charCodeAt(0))

let certificateCount = 0
/** A certificate URL no earlier test has fetched (certificates are cached per isolate). */
const freshCertificateUrl = () =>
	`https://sns.us-east-1.amazonaws.com/SimpleNotificationService-${++certificateCount}.pem`

/** Serves `pem` for every pinned certificate URL; counts the fetches. */
function serveCertificate(pem = CERTIFICATE, status = 200) {
	const fetched: string[] = []
	vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
		const url = new Request(input).url
		fetched.push(url)
		if (!url.startsWith('https://sns.us-east-1.amazonaws.com/')) {
			throw new TypeError(`Network access to ${url} is not allowed in tests`)
		}
		return new Response(pem, { status })
	})
	return fetched
}

afterEach(() => vi.restoreAllMocks())

const SIGNED = {
	Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
	SubscriptionConfirmation: [
		'Message',
		'MessageId',
		'SubscribeURL',
		'Timestamp',
		'Token',
		'TopicArn',
		'Type',
	],
}

/** A message signed as Amazon does, with the fixture key (or `key`). */
async function message(
	fields: Record<string, string>,
	{ version = '1', key }: { version?: '1' | '2'; key?: CryptoKey } = {},
): Promise<Record<string, string>> {
	const msg: Record<string, string> = {
		Type: 'Notification',
		MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
		TopicArn: TOPIC,
		Message: '{"order":42}',
		Timestamp: new Date(NOW).toISOString(),
		SignatureVersion: version,
		SigningCertURL: freshCertificateUrl(),
		...fields,
	}
	const names = SIGNED[msg.Type as keyof typeof SIGNED]
	const text = names
		.filter((n) => msg[n] !== undefined)
		.map((n) => `${n}\n${msg[n]}\n`)
		.join('')
	const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: version === '1' ? 'SHA-1' : 'SHA-256' }
	const signingKey =
		key ?? (await crypto.subtle.importKey('pkcs8', der(PRIVATE_KEY), algorithm, false, ['sign']))
	const signature = await crypto.subtle.sign(algorithm, signingKey, new TextEncoder().encode(text))
	return { ...msg, Signature: b64(signature) }
}

const delivery = (msg: Record<string, string>, now = NOW): RequestInit => ({
	body: JSON.stringify(msg),
	headers: {
		'content-type': 'text/plain; charset=UTF-8',
		'x-amz-sns-message-type': msg.Type ?? '',
	},
	now,
})

describe('aws-sns preset (RSA, certificate from a pinned Amazon host)', () => {
	it('accepts SignatureVersion 1 (SHA1withRSA) and 2 (SHA256withRSA); the MessageId is the delivery id', async () => {
		serveCertificate()
		await expectOk(auth, delivery(await message({})), '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324')
		await expectOk(
			auth,
			delivery(await message({}, { version: '2' })),
			'22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
		)
	})

	it('signs Subject when present, and SubscribeURL and Token for a SubscriptionConfirmation', async () => {
		serveCertificate()
		const withSubject = await message({ Subject: 'Order placed' })
		await expectOk(auth, delivery(withSubject), withSubject.MessageId)
		await expectFail(auth, delivery({ ...withSubject, Subject: 'Order cancelled' }))
		const confirmation = await message({
			Type: 'SubscriptionConfirmation',
			Token: '2336412f37fb687f5d51e6e241d09c805a5a57b30d712f794cc5f6a988666d92768dd60a7',
			SubscribeURL:
				'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:us-east-1:123456789012:orders&Token=2336412f37fb',
			Message:
				'You have chosen to subscribe to the topic arn:aws:sns:us-east-1:123456789012:orders.',
		})
		await expectOk(auth, delivery(confirmation), confirmation.MessageId)
		await expectFail(
			auth,
			delivery({ ...confirmation, SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?x' }),
		)
	})

	it('rejects a tampered message, another type, a wrong version or a bad signature', async () => {
		serveCertificate()
		const msg = await message({})
		await expectFail(auth, delivery({ ...msg, Message: '{"order":43}' }))
		await expectFail(auth, delivery({ ...msg, Type: 'UnsubscribeConfirmation' }))
		await expectFail(auth, delivery({ ...msg, SignatureVersion: '2' }))
		await expectFail(auth, delivery({ ...msg, SignatureVersion: '3' }))
		await expectFail(auth, delivery({ ...msg, Signature: 'AAAA' }))
		await expectFail(auth, { ...delivery(msg), body: 'not json' })
	})

	it('rejects a signature by a key that is not the certificate’s', async () => {
		serveCertificate()
		const other = (await crypto.subtle.generateKey(
			{
				name: 'RSASSA-PKCS1-v1_5',
				modulusLength: 2048,
				publicExponent: new Uint8Array([1, 0, 1]),
				hash: 'SHA-1',
			},
			false,
			['sign', 'verify'],
		)) as CryptoKeyPair
		await expectFail(auth, delivery(await message({}, { key: other.privateKey })))
	})

	it('rejects a validly signed message from a topic the endpoint does not list', async () => {
		serveCertificate()
		const stranger = await message({ TopicArn: 'arn:aws:sns:us-east-1:999999999999:orders' })
		await expectFail(auth, delivery(stranger))
		await expectOk(
			{ ...auth, topicArns: [TOPIC, stranger.TopicArn as string] },
			delivery(stranger),
			stranger.MessageId,
		)
	})

	it('never fetches a certificate from anywhere but https://sns.<region>.amazonaws.com', async () => {
		const fetched = serveCertificate()
		for (const url of [
			'http://sns.us-east-1.amazonaws.com/cert.pem',
			'https://sns.us-east-1.amazonaws.com.evil.example/cert.pem',
			'https://evil.example/sns.us-east-1.amazonaws.com/cert.pem',
			'https://sns.us-east-1.amazonaws.com:8443/cert.pem',
			'https://user:pw@sns.us-east-1.amazonaws.com/cert.pem',
			'https://s3.amazonaws.com/cert.pem',
			'not a url',
		]) {
			expect(pinnedCertificateUrl(url), url).toBeNull()
			await expectFail(auth, delivery(await message({ SigningCertURL: url })))
		}
		expect(fetched).toEqual([])
		expect(pinnedCertificateUrl('https://sns.cn-north-1.amazonaws.com.cn/c.pem')).not.toBeNull()
	})

	it('fetches each certificate once, and again after a failed fetch', async () => {
		const url = freshCertificateUrl()
		let fetched = serveCertificate(CERTIFICATE, 503)
		await expectFail(auth, delivery(await message({ SigningCertURL: url })))
		expect(fetched).toEqual([url])
		vi.restoreAllMocks()
		fetched = serveCertificate()
		for (let i = 0; i < 3; i++) {
			const msg = await message({ SigningCertURL: url, MessageId: `m-${i}` })
			await expectOk(auth, delivery(msg), `m-${i}`)
		}
		expect(fetched).toEqual([url])
	})

	it('refuses what is not a certificate', async () => {
		serveCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')
		await expectFail(auth, delivery(await message({})))
	})

	it('checks the Timestamp only when a tolerance is configured (SNS retries keep it)', async () => {
		serveCertificate()
		const msg = await message({})
		const dayLater = NOW + 86_400_000
		await expectOk(auth, delivery(msg, dayLater), msg.MessageId)
		await expectFail({ ...auth, toleranceSeconds: 3600 }, delivery(msg, dayLater))
		await expectOk({ ...auth, toleranceSeconds: 3600 }, delivery(msg), msg.MessageId)
	})

	it('is configured with topic ARNs, not keys; the CLI side cannot sign it', async () => {
		expect(authConfigSchema.safeParse(auth).success).toBe(true)
		for (const [input, path] of [
			[{ type: 'publicKey', preset: 'aws-sns' }, ['topicArns']],
			[{ ...auth, keys: ['ab'.repeat(32)] }, ['keys']],
			[{ ...auth, topicArns: ['arn:aws:sqs:us-east-1:123456789012:q'] }, ['topicArns', 0]],
			[
				{ type: 'publicKey', preset: 'discord', topicArns: [TOPIC], keys: ['ab'.repeat(32)] },
				['topicArns'],
			],
		] as const) {
			expect(authConfigSchema.safeParse(input).error?.issues[0]?.path).toEqual(path)
		}
		await expect(
			signRequest(authConfigSchema.parse(auth), {
				method: 'POST',
				url: 'https://gateway.test/trigger/x',
				headers: {},
				body: new Uint8Array(),
				now: NOW,
			}),
		).rejects.toThrow('only Amazon signs')
	})
})

describe('X.509 public key extraction', () => {
	it('returns the certificate’s SubjectPublicKeyInfo (as openssl extracts it)', () => {
		const spki = certificatePublicKey(der(CERTIFICATE))
		expect(spki && b64(spki.slice().buffer)).toBe(CERTIFICATE_SPKI_BASE64)
	})

	it('rejects truncated or trailing bytes', () => {
		const cert = der(CERTIFICATE)
		expect(certificatePublicKey(cert.subarray(0, cert.length - 1))).toBeNull()
		expect(certificatePublicKey(new Uint8Array([...cert, 0]))).toBeNull()
		expect(certificatePublicKey(new Uint8Array([0x30, 0x84, 0, 0, 0, 1, 0]))).toBeNull()
		expect(certificatePublicKey(new Uint8Array())).toBeNull()
	})
})
