/**
 * Request bodies and the GitHub signature scheme, built once and reused, so the load
 * generator spends its time sending rather than hashing.
 * @module
 */
import { createHmac, randomBytes } from 'node:crypto'

/**
 * A JSON object of exactly `size` bytes (ASCII), shaped like a small webhook event.
 * @param {number} size
 * @param {string} [tag] makes bodies differ, as real deliveries do
 */
export function jsonBody(size, tag = '') {
	const shell = { action: 'opened', delivery: tag, pad: '' }
	const room = size - Buffer.byteLength(JSON.stringify(shell))
	if (room < 0) throw new RangeError(`a ${size}-byte body cannot hold its own envelope`)
	return JSON.stringify({ ...shell, pad: 'x'.repeat(room) })
}

/** Random bytes: incompressible, like the PDFs and images senders upload. */
export function binaryBody(size) {
	return randomBytes(size)
}

/**
 * GitHub's `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw body.
 * @see https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
 * @param {string} secret
 * @param {string | Buffer} body
 */
export function githubSignature(secret, body) {
	return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

/** A signature of the right shape that no secret produced. */
export const FORGED_SIGNATURE = `sha256=${'0'.repeat(64)}`
