/**
 * The Worker: the triggerflare gateway running this project's integrations. wrangler
 * needs the default export (HTTP and queue handlers) and the two Durable Object classes.
 * @module
 */
import { createGateway, type Env as GatewayEnv } from 'triggerflare'
import orders from './orders'

export { EndpointDO, RegistryDO } from 'triggerflare'

export default createGateway({ integrations: [orders] })

// Types `env` and `exports` of `cloudflare:workers` (used by the tests) for this Worker.
declare global {
	namespace Cloudflare {
		interface Env extends GatewayEnv {}
		interface GlobalProps {
			mainModule: typeof import('./index')
			durableNamespaces: 'EndpointDO' | 'RegistryDO'
		}
	}
}
