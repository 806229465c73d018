/**
 * This repository's Worker: the gateway library with the integrations shipped here.
 * A Worker of your own does the same with its own list (see docs/library.md).
 * @module
 */
import type { Env as GatewayEnv } from './env'
import { createGateway } from './gateway'
import examples from './integrations/examples'
import githubIssues from './integrations/github-issues'
import progixSlack from './integrations/progix-slack'
import salesforceOutbound from './integrations/salesforce-outbound'

export { EndpointDO, RegistryDO } from './gateway'

export default createGateway({
	integrations: [examples, progixSlack, salesforceOutbound, githubIssues],
})

// Types `env` and `exports` of `cloudflare:workers` (tests) for this Worker. It lives in
// the entry rather than in env.ts so that the library's types never declare a user's
// Worker module as theirs.
declare global {
	namespace Cloudflare {
		interface Env extends GatewayEnv {}
		interface GlobalProps {
			mainModule: typeof import('./index')
			durableNamespaces: 'EndpointDO' | 'RegistryDO'
		}
	}
}
