/**
 * The sender side: the headers that make a request pass an endpoint's authentication.
 * Used by the reference sender and by integration tests; secrets never leave it.
 * @module
 */
import { basicHeader } from './basic'
import { schemeFor, schemeOptions, secretKeys } from './hmac'
import { type HashName, hmac, importHmacKey } from './keys'
import { bindBody } from './providers/twilio'
import { signWithPrivateKey } from './public-key'
import type { AuthConfig } from './schema'
import { inputHeader, type Mac, type SignInput } from './scheme'

export type { SignInput } from './scheme'

export interface SignOptions {
	/** The provider's private key, for `publicKey` configs (see `importPrivateKey`). */
	privateKey?: CryptoKey
}

/**
 * The URL to send `request` to. It is `request.url` except for schemes that bind the body
 * through the URL: Twilio adds `bodySHA256` for a body that is not a form. Sign the
 * request with this URL, and send it there.
 */
export async function senderUrl(
	config: AuthConfig,
	request: Pick<SignInput, 'url' | 'headers' | 'body'>,
): Promise<string> {
	if (config.type !== 'hmac' || config.preset !== 'twilio') return request.url
	return bindBody(request.url, inputHeader(request, 'content-type'), request.body)
}

/**
 * The headers to add to `request` so that an endpoint with `config` accepts it. Signing
 * uses the first secret (or key), the current one during a rotation; a `publicKey` config
 * needs the provider's private key in `options`.
 */
export async function signRequest(
	config: AuthConfig,
	request: SignInput,
	options: SignOptions = {},
): Promise<Record<string, string>> {
	switch (config.type) {
		case 'none':
			return {}
		case 'basic':
			return { Authorization: basicHeader(config.username, config.password) }
		case 'apiKey': {
			const key = config.keys[0]
			if (!key) throw new Error('apiKey: no key to send')
			return { [config.header ?? 'api-key']: key }
		}
		case 'hmac': {
			const scheme = schemeFor(config)
			if (!scheme) throw new Error('hmac: unknown preset')
			const secret = secretKeys(scheme, config.secrets.slice(0, 1))[0]
			if (!secret) throw new Error('hmac: the first secret is not usable by this scheme')
			const mac: Mac = async (hash: HashName, message: Uint8Array) =>
				hmac(await importHmacKey(secret, hash, 'sign'), message)
			return scheme.sign(request, mac, schemeOptions(config, scheme), secret)
		}
		case 'publicKey': {
			if (config.preset === 'aws-sns') {
				throw new Error('aws-sns: only Amazon signs SNS messages (its certificate is fetched)')
			}
			if (!options.privateKey) throw new Error(`${config.preset}: signing needs the private key`)
			return signWithPrivateKey(config.preset, options.privateKey, request)
		}
	}
}
