import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({
	plugins: [
		cloudflareTest({
			wrangler: { configPath: './wrangler.toml' },
			miniflare: {
				bindings: { ADMIN_TOKEN: 'test-admin-token' },
				// These replace wrangler.toml's consumer settings rather than merging with them,
				// so all are repeated; a short batch timeout keeps the tests fast.
				queueConsumers: {
					'my-gateway-executions': {
						maxBatchSize: 10,
						maxBatchTimeout: 0.05,
						maxRetries: 10,
						deadLetterQueue: 'my-gateway-executions-dlq',
					},
					'my-gateway-executions-dlq': {
						maxBatchSize: 10,
						maxBatchTimeout: 0.05,
						maxRetries: 10,
					},
				},
			},
		}),
	],
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 30_000,
	},
})
