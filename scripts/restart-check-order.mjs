// Checks a FIFO endpoint's executions ran in sequence order (each started after its
// predecessor finished), through the admin API: node scripts/restart-check-order.mjs <base> <endpoint>
const [base, ep] = process.argv.slice(2)
const all = []
let cursor = ''
for (;;) {
	const r = await fetch(
		`${base}/api/executions?endpoint=${ep}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
		{ headers: { authorization: 'Bearer dev-admin-token' } },
	)
	const j = await r.json()
	all.push(...j.executions)
	if (!j.nextCursor) break
	cursor = encodeURIComponent(j.nextCursor)
}
all.sort((a, b) => a.sequence - b.sequence)
let violations = 0,
	maxAttempts = 0
for (let i = 1; i < all.length; i++) {
	if (Date.parse(all[i].startedAt) < Date.parse(all[i - 1].finishedAt)) violations++
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
