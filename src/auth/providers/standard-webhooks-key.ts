/**
 * Standard Webhooks secrets: `whsec_` + base64 of the key bytes.
 * @module
 */
import { base64ToBytes } from '../encoding'

const PREFIX = 'whsec_'

/**
 * The HMAC key of a Standard Webhooks (or Svix) secret: the base64-decoded part after
 * `whsec_`. A secret pasted without the prefix is base64 too, as the reference libraries
 * treat it. Null when it does not decode to at least one byte.
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md#signature-scheme
 */
export function standardWebhooksKey(secret: string): Uint8Array | null {
	const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret
	const key = base64ToBytes(encoded)
	return key && key.length > 0 ? key : null
}
