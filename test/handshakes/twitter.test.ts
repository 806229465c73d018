import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { base64, expectJson, get, hmac, post } from './support'

/**
 * X's docs (https://docs.x.com/x-api/webhooks/quickstart) give the algorithm and the
 * shape of the answer, and a sample response_token for crc_token=foo without its secret.
 * So the inputs below are the consumer secret and token from the CRC sample code X's
 * developer relations published (gist.github.com/jcipriano/373d4d441e8041f775b6227c0e2fd1f3)
 * with the expected value computed by `openssl dgst -sha256 -hmac .. -binary | base64`,
 * plus RFC 4231 test case 2 and an independent crypto.subtle computation.
 */
const SAMPLE_SECRET = 'z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu'
const SAMPLE_TOKEN = '9b4507b3-9040-4669-9ca3-6b94edb50553'

describe('twitter (X) challenge-response check', () => {
	it('answers GET ?crc_token= with sha256=base64(HMAC-SHA256), before authentication', async () => {
		const match = findHandshake(
			[{ type: 'twitter', consumerSecret: SAMPLE_SECRET }],
			get(`crc_token=${SAMPLE_TOKEN}`),
		)
		expect(match).toMatchObject({ type: 'twitter', signedByProvider: false })
		await expectJson(await (match?.answer() as Promise<Response>), {
			response_token: 'sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=',
		})
	})

	it('matches RFC 4231 test case 2 (key "Jefe")', async () => {
		const match = findHandshake(
			[{ type: 'twitter', consumerSecret: 'Jefe' }],
			get(`crc_token=${encodeURIComponent('what do ya want for nothing?')}`),
		)
		await expectJson(await (match?.answer() as Promise<Response>), {
			response_token: 'sha256=W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=',
		})
	})

	it('hashes the URL-decoded token, agreeing with an independent crypto.subtle computation', async () => {
		const token = 'a+b/c=d e'
		const match = findHandshake(
			[{ type: 'twitter', consumerSecret: 'consumer-secret' }],
			get(`crc_token=${encodeURIComponent(token)}`),
		)
		await expectJson(await (match?.answer() as Promise<Response>), {
			response_token: `sha256=${base64(await hmac('consumer-secret', token))}`,
		})
	})

	it('is not a handshake without crc_token, with an empty one, or as a POST', () => {
		const configs = [{ type: 'twitter' as const, consumerSecret: 'k' }]
		expect(findHandshake(configs, get(''))).toBeNull()
		expect(findHandshake(configs, get('crc_token='))).toBeNull()
		expect(findHandshake(configs, get('nonce=abc'))).toBeNull()
		expect(findHandshake(configs, post('crc_token=abc', { for_user_id: '1' }))).toBeNull()
	})
})
