import { defineConfig } from 'vitest/config'
import { workerdPlugin } from './vitest.config'

// The cost scenarios (bench/cost), in workerd like the tests; COST_WEBHOOKS sets how
// many webhooks each scenario sends (200 by default).
export default defineConfig({
	plugins: [workerdPlugin({ COST_WEBHOOKS: process.env.COST_WEBHOOKS ?? '200' })],
	test: {
		include: ['bench/cost/**/*.cost.test.ts'],
		testTimeout: 300_000,
		hookTimeout: 30_000,
	},
})
