// Posts N webhooks to the echo endpoint, some slow (delayMs), as fast as c=8 allows.
const [url, n, delay] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 0)]
let sent = 0,
	ok = 0,
	other = {}
async function worker() {
	while (sent < n) {
		const i = sent++
		try {
			const r = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ i, delayMs: i % 50 === 0 ? delay : 0 }),
			})
			if (r.status === 200) ok++
			else other[r.status] = (other[r.status] ?? 0) + 1
			await r.arrayBuffer()
		} catch {
			other.err = (other.err ?? 0) + 1
		}
	}
}
await Promise.all(Array.from({ length: 8 }, worker))
console.log(JSON.stringify({ ok, other }))
