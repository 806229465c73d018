/**
 * GitLab: no signature; `X-Gitlab-Token` carries the webhook's secret token as it is,
 * compared in constant time with every configured secret. `Idempotency-Key` stays the same
 * across retries of a webhook (GitLab 17.4+); older versions send only
 * `X-Gitlab-Event-UUID`.
 * @see https://docs.gitlab.com/user/project/integrations/webhooks/#create-an-optional-secret-token
 * @see https://docs.gitlab.com/user/project/integrations/webhooks/#delivery-headers
 */
import { type HmacScheme, MISSING } from '../scheme'

const decoder = new TextDecoder()

export const gitlab: HmacScheme = {
	async parse(request) {
		const token = request.headers.get('x-gitlab-token')
		return token ? { token } : MISSING
	},
	deliveryId: (request) =>
		request.headers.get('idempotency-key') ??
		request.headers.get('x-gitlab-event-uuid') ??
		undefined,
	async sign(_input, _mac, _options, secret) {
		return { 'X-Gitlab-Token': decoder.decode(secret) }
	},
}
