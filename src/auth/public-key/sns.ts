/**
 * AWS SNS HTTP(S) deliveries: the JSON body is a message Amazon signs with RSA
 * (`SignatureVersion` 1: SHA1withRSA, 2: SHA256withRSA) over `Name\nValue\n` lines of its
 * fields in a fixed order, with the certificate at `SigningCertURL`. That URL is only
 * fetched when it is https on `sns.<region>.amazonaws.com` (or `.amazonaws.com.cn`), and
 * each certificate is fetched once per isolate. A valid signature only proves that some
 * SNS topic sent the message, so the config lists the topic ARNs it accepts.
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
 * @see https://github.com/aws/aws-js-sns-message-validator/blob/master/index.js
 */
import { base64ToBytes, utf8 } from '../encoding'
import type { PublicKeyConfig } from '../schema'
import { parseRfc3339, withinTolerance } from '../timestamp'
import { type Authenticator, REFUSED } from '../types'
import { pemBody } from './keys'
import { certificatePublicKey } from './x509'

const MALFORMED = REFUSED.malformed
// A topic not listed is a sender we were not told to trust: counted with wrong signatures.
const UNTRUSTED = REFUSED.signature

const SUBSCRIPTION_FIELDS = [
	'Message',
	'MessageId',
	'SubscribeURL',
	'Timestamp',
	'Token',
	'TopicArn',
	'Type',
] as const

/** The fields signed, in order, per message type (absent optional ones are skipped). */
const SIGNED_FIELDS: Readonly<Record<string, readonly string[]>> = {
	Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
	SubscriptionConfirmation: SUBSCRIPTION_FIELDS,
	UnsubscribeConfirmation: SUBSCRIPTION_FIELDS,
}

const HASHES: Readonly<Record<string, 'SHA-1' | 'SHA-256'>> = { '1': 'SHA-1', '2': 'SHA-256' }

const CERTIFICATE_HOST = /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/

/** Certificates are a few KiB; anything much larger is not one. */
const MAX_CERTIFICATE_CHARS = 16_384

/** The SigningCertURL when it is on a pinned Amazon host, else null (never fetched). */
export function pinnedCertificateUrl(text: string): string | null {
	let url: URL
	try {
		url = new URL(text)
	} catch {
		return null
	}
	const plain = url.protocol === 'https:' && !url.username && !url.password && !url.port
	return plain && CERTIFICATE_HOST.test(url.hostname) ? url.href : null
}

type Message = Record<string, string>

function parseMessage(body: Uint8Array): Message | null {
	let value: unknown
	try {
		value = JSON.parse(new TextDecoder().decode(body))
	} catch {
		return null
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return null
	const message: Message = {}
	for (const [name, field] of Object.entries(value)) {
		if (typeof field === 'string') message[name] = field
	}
	return message
}

/** The bytes Amazon signed: `Name\nValue\n` for each signed field present, in order. */
export function snsStringToSign(message: Message): Uint8Array | null {
	const fields = Object.hasOwn(SIGNED_FIELDS, message.Type ?? '')
		? SIGNED_FIELDS[message.Type as string]
		: undefined
	if (!fields) return null
	let text = ''
	for (const name of fields) {
		const value = message[name]
		if (value !== undefined) text += `${name}\n${value}\n`
	}
	return utf8(text)
}

// Per isolate: one fetch per certificate URL, shared by concurrent first requests; a
// failure is forgotten so the next request tries again.
const MAX_CACHED = 32
const certificates = new Map<string, Promise<Uint8Array>>()

async function fetchCertificate(url: string): Promise<Uint8Array> {
	const response = await fetch(url, { redirect: 'manual' })
	const text = await response.text()
	if (response.status !== 200 || text.length > MAX_CERTIFICATE_CHARS) {
		throw new Error(`aws-sns: certificate ${url} answered ${response.status}`)
	}
	const der = base64ToBytes(pemBody(text))
	const spki = der ? certificatePublicKey(der) : null
	if (!spki) throw new Error(`aws-sns: ${url} is not a certificate`)
	return spki
}

function certificateKey(url: string): Promise<Uint8Array> {
	let spki = certificates.get(url)
	if (!spki) {
		if (certificates.size >= MAX_CACHED) {
			const oldest = certificates.keys().next().value
			if (oldest !== undefined) certificates.delete(oldest)
		}
		spki = fetchCertificate(url)
		certificates.set(url, spki)
		spki.catch(() => certificates.delete(url))
	}
	return spki
}

async function verifyMessage(message: Message): Promise<boolean> {
	const hash = HASHES[message.SignatureVersion ?? '']
	const url = pinnedCertificateUrl(message.SigningCertURL ?? '')
	const signature = base64ToBytes(message.Signature ?? '')
	const signed = snsStringToSign(message)
	if (!hash || !url || !signature || !signed || !message.MessageId) return false
	const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash }
	const key = await crypto.subtle.importKey('spki', await certificateKey(url), algorithm, false, [
		'verify',
	])
	return crypto.subtle.verify(algorithm, key, signature, signed)
}

export function snsAuthenticator(config: PublicKeyConfig): Authenticator {
	const topics = new Set(config.topicArns ?? [])
	const tolerance = config.toleranceSeconds
	return {
		type: 'publicKey',
		async verify(request) {
			try {
				const message = parseMessage(request.rawBody)
				if (!message) return MALFORMED
				if (!topics.has(message.TopicArn ?? '')) return UNTRUSTED
				// SNS retries a message with its original Timestamp for as long as the topic's
				// delivery policy says, so a window applies only when configured.
				if (tolerance !== undefined) {
					const t = parseRfc3339(message.Timestamp)
					if (t === null) return MALFORMED
					if (!withinTolerance(t, request.now, tolerance)) return REFUSED.timestamp
				}
				if (!(await verifyMessage(message))) return UNTRUSTED
				return { ok: true, deliveryId: message.MessageId }
			} catch {
				return MALFORMED
			}
		},
	}
}
