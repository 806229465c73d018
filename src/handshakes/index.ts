/**
 * Sender handshakes: verification requests a provider sends to prove the endpoint wants
 * its webhooks, answered by the gateway itself (no execution, no rate budget).
 *
 * Use from the trigger route, after the size check and around authentication:
 *
 * ```ts
 * const handshake = findHandshake(config.handshakes, handshakeRequestFrom(request, bytes))
 * if (handshake && !handshake.signedByProvider) return handshake.answer()
 * // ... authenticate (401 on failure) ...
 * if (handshake) return handshake.answer()
 * ```
 *
 * A match may carry a `capture` (Asana's `X-Hook-Secret`, Notion's `verification_token`):
 * a secret the provider hands over once, which the route should store for the operator
 * before answering (see docs/handshakes.md).
 * @module
 */
import { createContext } from './context'
import { adobeIo } from './providers/adobe-io'
import { awsSns } from './providers/aws-sns'
import { dropbox } from './providers/dropbox'
import { googleChannel } from './providers/google-channel'
import { meta } from './providers/meta'
import { microsoftGraph } from './providers/microsoft-graph'
import { monday } from './providers/monday'
import { notion } from './providers/notion'
import { okta } from './providers/okta'
import { slack } from './providers/slack'
import { strava } from './providers/strava'
import { twitch } from './providers/twitch'
import { twitter } from './providers/twitter'
import { websub } from './providers/websub'
import { xHookSecret } from './providers/x-hook-secret'
import { zoom } from './providers/zoom'
import type { HandshakeConfig, HandshakeType } from './schema'
import type { HandshakeCapture, HandshakeMatch, HandshakeProvider, HandshakeRequest } from './types'

export type { HandshakeConfig, HandshakeType, RedactedHandshake } from './schema'
export {
	handshakeConfigSchema,
	handshakeListSchema,
	redactHandshake,
	redactHandshakes,
} from './schema'
export type { HandshakeCapture, HandshakeMatch, HandshakeRequest } from './types'

type ProviderFor<T extends HandshakeType> = HandshakeProvider<Extract<HandshakeConfig, { type: T }>>

const PROVIDERS: { [T in HandshakeType]: ProviderFor<T> } = {
	slack,
	'microsoft-graph': microsoftGraph,
	meta,
	zoom,
	twitter,
	dropbox,
	asana: xHookSecret,
	'rest-hooks': xHookSecret,
	twitch,
	okta,
	'aws-sns': awsSns,
	monday,
	notion,
	websub,
	'google-channel': googleChannel,
	strava,
	'adobe-io': adobeIo,
}

function providerFor(type: string): HandshakeProvider<HandshakeConfig> | null {
	if (!Object.hasOwn(PROVIDERS, type)) return null
	// Sound: a config's type selects the provider written for exactly that config shape.
	return PROVIDERS[type as HandshakeType] as HandshakeProvider<HandshakeConfig>
}

/**
 * Recognises a handshake without building its answer (no crypto, no secret compared),
 * so the route can authenticate provider-signed handshakes before anything is computed
 * from their secret. The first configured handshake the request matches wins. Entries
 * of unknown type are skipped: configs stored under an older schema must not break
 * ordinary deliveries.
 */
export function findHandshake(
	configs: readonly HandshakeConfig[],
	request: HandshakeRequest,
): HandshakeMatch | null {
	if (configs.length === 0) return null
	const context = createContext(request)
	for (const config of configs) {
		const provider = providerFor(config.type)
		const answer = provider?.match(config, context)
		if (provider && answer) {
			const match: HandshakeMatch = {
				type: config.type,
				signedByProvider: provider.signedByProvider,
				answer,
			}
			const capture = provider.capture?.(context)
			if (capture) match.capture = capture
			return match
		}
	}
	return null
}

/**
 * `findHandshake` with the answer already built. The caller must still authenticate
 * before returning a `signedByProvider` response; prefer `findHandshake`, which does not
 * compute a provider-signed answer for requests that may fail authentication.
 */
export async function matchHandshake(
	configs: readonly HandshakeConfig[],
	request: HandshakeRequest,
): Promise<{
	response: Response
	signedByProvider: boolean
	capture?: HandshakeCapture
} | null> {
	const match = findHandshake(configs, request)
	if (!match) return null
	const response = await match.answer()
	return match.capture
		? { response, signedByProvider: match.signedByProvider, capture: match.capture }
		: { response, signedByProvider: match.signedByProvider }
}

/** The handshake view of a request whose body the route has already read. */
export function handshakeRequestFrom(request: Request, rawBody: Uint8Array): HandshakeRequest {
	return {
		method: request.method,
		url: new URL(request.url),
		headers: request.headers,
		contentType: request.headers.get('content-type') ?? '',
		rawBody,
	}
}
