import { defineConfig } from 'vitest/config'

// End-to-end tests run in Node: they start the gateway with `wrangler dev`, then drive
// Debian's Chromium through playwright-core, or the CLI (see test/e2e/).
export default defineConfig({
	test: {
		include: ['test/e2e/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 90_000,
	},
})
