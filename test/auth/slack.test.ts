import { describe, expect, it } from 'vitest'
import { expectFail, expectOk, header, MINUTES, SECONDS, signed, withHeader } from './support'

/**
 * Vector: the worked example in Slack's "Verifying requests from Slack"
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack, formerly
 * https://api.slack.com/authentication/verifying-requests-from-slack): signing secret,
 * timestamp, slash-command body and resulting X-Slack-Signature, used verbatim.
 * No official Slack SDK is a dependency here; other cases are signed by our own sender
 * side, whose output for the documented input is checked against the documented signature.
 */
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'
const TIMESTAMP = '1531420618'
const BODY =
	'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c'
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'
const NOW = Number(TIMESTAMP) * 1000
const auth = { type: 'hmac', preset: 'slack', secrets: [SECRET] }
const doc = {
	body: BODY,
	headers: {
		'Content-Type': 'application/x-www-form-urlencoded',
		'X-Slack-Request-Timestamp': TIMESTAMP,
		'X-Slack-Signature': SIGNATURE,
	},
	now: NOW,
}

describe('slack preset', () => {
	it("accepts Slack's documented example", async () => {
		await expectOk(auth, doc)
	})

	it('signs the documented example exactly as Slack does (sign → verify round trip)', async () => {
		const init = await signed(auth, { body: BODY, now: NOW })
		expect(header(init, 'x-slack-request-timestamp')).toBe(TIMESTAMP)
		expect(header(init, 'x-slack-signature')).toBe(SIGNATURE)
		const json = await signed(auth, { body: '{"type":"event_callback"}', now: NOW + 1234 })
		await expectOk(auth, json)
	})

	it('rejects a tampered body', async () => {
		await expectFail(auth, { ...doc, body: BODY.replace('roadrunner', 'coyote') })
	})

	it('rejects a wrong secret', async () => {
		await expectFail({ ...auth, secrets: ['8f742231b10e8888abcd99yyyzzz85a6'] }, doc)
	})

	it('rejects missing headers', async () => {
		await expectFail(auth, withHeader(doc, 'X-Slack-Signature', undefined))
		await expectFail(auth, withHeader(doc, 'X-Slack-Request-Timestamp', undefined))
	})

	it('rejects malformed headers', async () => {
		await expectFail(auth, withHeader(doc, 'X-Slack-Signature', 'v0=xyz'))
		await expectFail(auth, withHeader(doc, 'X-Slack-Signature', SIGNATURE.slice(3)))
		await expectFail(auth, withHeader(doc, 'X-Slack-Request-Timestamp', '1531420618.0'))
		await expectFail(auth, withHeader(doc, 'X-Slack-Request-Timestamp', '1.531420618e9'))
	})

	it('rejects a wrong version prefix', async () => {
		await expectFail(auth, withHeader(doc, 'X-Slack-Signature', SIGNATURE.replace('v0=', 'v1=')))
	})

	it('rejects stale and future timestamps, and a changed one', async () => {
		await expectOk(auth, { ...doc, now: NOW + 5 * MINUTES })
		await expectOk(auth, { ...doc, now: NOW - 5 * MINUTES })
		await expectFail(auth, { ...doc, now: NOW + 5 * MINUTES + SECONDS })
		await expectFail(auth, { ...doc, now: NOW - 5 * MINUTES - SECONDS })
		await expectFail(auth, withHeader(doc, 'X-Slack-Request-Timestamp', '1531420619'))
	})

	it('accepts a signature made with any active secret (rotation)', async () => {
		await expectOk({ ...auth, secrets: ['a-newer-signing-secret', SECRET] }, doc)
	})
})
