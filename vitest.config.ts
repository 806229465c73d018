import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: './wrangler.toml' },
			miniflare: {
				bindings: {
					ADMIN_TOKEN: 'test-admin-token',
					SYNC_WAIT_MS: '10000',
					TEST_FAULTS: 'enabled',
				},
				// Short batch timeouts keep end-to-end tests fast; production values live in
				// wrangler.toml.
				queueConsumers: {
					'triggerflare-executions': { maxBatchTimeout: 0.05 },
					'triggerflare-executions-dlq': { maxBatchTimeout: 0.05 },
				},
			},
		}),
	],
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
	},
})
