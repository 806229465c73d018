// Counts the endpoint's executions by status (pages through the admin API).
const [base, ep] = [process.argv[2], process.argv[3]]
const counts = {}
let cursor = ''
for (;;) {
	const r = await fetch(
		`${base}/api/executions?endpoint=${ep}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
		{ headers: { authorization: 'Bearer dev-admin-token' } },
	)
	const j = await r.json()
	for (const e of j.executions) counts[e.status] = (counts[e.status] ?? 0) + 1
	if (!j.nextCursor) break
	cursor = encodeURIComponent(j.nextCursor)
}
console.log(new Date().toISOString().slice(11, 19), JSON.stringify(counts))
