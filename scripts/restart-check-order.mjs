// Checks a FIFO endpoint's executions ran in sequence order (each started after its
// predecessor finished), through the admin API: node scripts/restart-check-order.mjs <base> <endpoint>
import { allExecutions } from './lib/executions.mjs'

const [base, ep] = process.argv.slice(2)
const all = (await allExecutions(base, ep)).sort((a, b) => a.sequence - b.sequence)
let violations = 0
let maxAttempts = 0
for (let i = 0; i < all.length; i++) {
	if (i > 0 && Date.parse(all[i].startedAt) < Date.parse(all[i - 1].finishedAt)) violations++
	maxAttempts = Math.max(maxAttempts, all[i].attempts)
}
console.log(
	JSON.stringify({
		executions: all.length,
		orderViolations: violations,
		maxAttempts,
		seqs: [all[0]?.sequence, all.at(-1)?.sequence],
	}),
)
