import { defineConfig } from 'vitest/config'

// Browser tests run in Node: they start the gateway with `wrangler dev` and drive
// Debian's Chromium through playwright-core (see test/browser/).
export default defineConfig({
	test: {
		include: ['test/browser/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 90_000,
	},
})
