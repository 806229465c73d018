import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

/** The Worker in workerd with its real bindings; `bindings` adds or overrides vars. */
export function workerdPlugin(bindings: Record<string, string> = {}) {
	return cloudflareTest({
		wrangler: { configPath: './wrangler.toml' },
		miniflare: {
			bindings: {
				ADMIN_TOKEN: 'test-admin-token',
				SYNC_WAIT_MS: '10000',
				...bindings,
			},
			// Per-queue settings here replace (not merge with) wrangler.toml's, so all of them
			// are repeated; only the batch timeout is shorter, to keep end-to-end tests fast.
			queueConsumers: {
				'triggerflare-executions': {
					maxBatchSize: 10,
					maxBatchTimeout: 0.05,
					maxRetries: 10,
					deadLetterQueue: 'triggerflare-executions-dlq',
				},
				'triggerflare-executions-dlq': {
					maxBatchSize: 10,
					maxBatchTimeout: 0.05,
					maxRetries: 10,
				},
			},
		},
	})
}

export default defineConfig({
	plugins: [workerdPlugin()],
	test: {
		include: ['test/**/*.test.ts'],
		// End-to-end tests (browser, CLI) run in Node with their own config (vitest.e2e.config.ts).
		exclude: ['test/e2e/**', 'node_modules/**'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
	},
})
