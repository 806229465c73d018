/**
 * Strava webhook subscription validation.
 *
 * Creating a push subscription makes Strava GET the callback with
 * `hub.mode=subscribe&hub.challenge=C&hub.verify_token=V`, V being the `verify_token`
 * given to the create call. The callback checks V and answers within two seconds with 200
 * and the JSON `{"hub.challenge": C}`. Strava's events are not signed, so this token is
 * the only check there is; it is compared in constant time and a wrong one gets 403.
 * @see https://developers.strava.com/docs/webhooks/
 * @module
 */
import { jsonAnswer } from '../respond'
import { hubVerifyToken } from './hub-verify-token'

export const strava = hubVerifyToken<{ type: 'strava'; verifyToken: string }>((challenge) =>
	jsonAnswer({ 'hub.challenge': challenge }),
)
