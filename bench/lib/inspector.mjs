/**
 * A minimal Chrome DevTools Protocol client for one workerd inspector target: enough for
 * heap readings and CPU profiles of a Worker's isolate.
 * @module
 */

/**
 * @typedef {object} Inspector
 * @property {(method: string, params?: object, timeoutMs?: number) => Promise<any>} call
 *   resolves with the result, or null on error or timeout
 * @property {() => void} close
 */

/**
 * @param {URL} inspectorUrl from Miniflare's getInspectorURL()
 * @param {string} target e.g. 'core:user:triggerflare'
 * @returns {Promise<Inspector>}
 */
export async function openInspector(inspectorUrl, target) {
	// Targets are named like 'core:user:x', which URL() would read as a scheme.
	const ws = new WebSocket(`${inspectorUrl.href.replace(/\/$/, '')}/${target}`)
	await new Promise((resolve, reject) => {
		ws.onopen = resolve
		ws.onerror = () => reject(new Error(`inspector ${target} unreachable`))
	})
	let nextId = 0
	const pending = new Map()
	ws.onmessage = (event) => {
		const msg = JSON.parse(String(event.data))
		pending.get(msg.id)?.(msg)
		pending.delete(msg.id)
	}
	return {
		call: (method, params = {}, timeoutMs = 2_000) =>
			new Promise((resolve) => {
				const id = ++nextId
				const timer = setTimeout(() => {
					pending.delete(id)
					resolve(null)
				}, timeoutMs)
				pending.set(id, (/** @type {any} */ msg) => {
					clearTimeout(timer)
					resolve(msg.result ?? null)
				})
				ws.send(JSON.stringify({ id, method, params }))
			}),
		close: () => ws.close(),
	}
}

/**
 * One session per Worker, opened on first use and shared: workerd serves a single
 * inspector session per target at a time, and a scenario sampling the heap must not
 * cut off a profile that is recording.
 * @param {import('./runtime.mjs').Runtime} rt
 */
export function inspectorSessions(rt) {
	/** @type {Map<string, Promise<Inspector | null>>} */
	const sessions = new Map()
	return {
		/** @param {'baseline' | 'gateway'} side */
		get(side) {
			const target = side === 'gateway' ? 'core:user:triggerflare' : 'core:user:baseline'
			let session = sessions.get(target)
			if (!session) {
				session = rt
					.inspectorUrl()
					.then((url) => openInspector(url, target))
					.catch(() => null)
				sessions.set(target, session)
			}
			return session
		},
		async closeAll() {
			for (const session of sessions.values()) (await session)?.close()
		},
	}
}
