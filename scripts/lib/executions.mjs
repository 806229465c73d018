// Every execution of an endpoint, paged through the admin API of a local dev server.
export async function allExecutions(base, endpointId, token = 'dev-admin-token') {
	const all = []
	let cursor = ''
	for (;;) {
		const r = await fetch(
			`${base}/api/executions?endpoint=${endpointId}&limit=200${cursor ? `&cursor=${cursor}` : ''}`,
			{ headers: { authorization: `Bearer ${token}` } },
		)
		const j = await r.json()
		all.push(...j.executions)
		if (!j.nextCursor) return all
		cursor = encodeURIComponent(j.nextCursor)
	}
}
