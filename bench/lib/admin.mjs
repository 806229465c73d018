/**
 * The few admin API calls the benchmarks need: fixtures are set up the way an operator
 * would, through `/api`, never by reaching into storage.
 * @module
 */

/**
 * @typedef {object} AdminResponse
 * @property {number} status
 * @property {any} body parsed JSON, or the text when it is not JSON
 */

export class Admin {
	/**
	 * @param {string} origin the gateway's origin
	 * @param {string} token ADMIN_TOKEN
	 */
	constructor(origin, token) {
		this.origin = origin
		this.token = token
	}

	/**
	 * @param {string} method
	 * @param {string} path
	 * @param {unknown} [body]
	 * @returns {Promise<AdminResponse>}
	 */
	async call(method, path, body) {
		const res = await fetch(this.origin + path, {
			method,
			headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		})
		const text = await res.text()
		let parsed = text
		try {
			parsed = JSON.parse(text)
		} catch {}
		return { status: res.status, body: parsed }
	}

	/** Same as `call`, but anything other than 2xx is a setup failure. */
	async ok(method, path, body) {
		const res = await this.call(method, path, body)
		if (res.status < 200 || res.status > 299) {
			throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`)
		}
		return res.body
	}

	/**
	 * Deploys an instance; returns its endpoints as `{ id, flow, url }`.
	 * @param {string} integration
	 * @returns {Promise<Array<{ id: string, flow: string, url: string }>>}
	 */
	async createInstance(integration) {
		const body = await this.ok('POST', '/api/instances', { integration })
		return body.endpoints
	}

	/** @param {string} id @param {object} patch */
	patchEndpoint(id, patch) {
		return this.call('PATCH', `/api/endpoints/${id}`, patch)
	}

	/**
	 * Every execution matching the query, following the cursor; bounded so a runaway
	 * listing cannot stall the run.
	 * @param {Record<string, string>} query e.g. { endpoint }
	 * @param {number} [maxPages]
	 */
	async listExecutions(query, maxPages = 200) {
		const all = []
		let cursor = null
		for (let page = 0; page < maxPages; page++) {
			const qs = new URLSearchParams({ ...query, limit: '200', ...(cursor ? { cursor } : {}) })
			const body = await this.ok('GET', `/api/executions?${qs}`)
			all.push(...body.executions)
			cursor = body.nextCursor
			if (!cursor) break
		}
		return all
	}

	/**
	 * Whether any execution (optionally of one endpoint) is still waiting or running.
	 * @param {string} [endpoint]
	 */
	async busy(endpoint) {
		for (const status of ['queued', 'running']) {
			const qs = new URLSearchParams({ status, limit: '1', ...(endpoint ? { endpoint } : {}) })
			const body = await this.ok('GET', `/api/executions?${qs}`)
			if (body.executions.length > 0) return true
		}
		return false
	}

	/**
	 * Waits until the gateway has run everything it accepted, up to `maxMs`.
	 * Returns the time it took, or null if work was still pending at the deadline.
	 * @param {number} maxMs
	 * @param {string} [endpoint]
	 */
	async drain(maxMs, endpoint) {
		const started = performance.now()
		while (performance.now() - started < maxMs) {
			if (!(await this.busy(endpoint))) return performance.now() - started
			await new Promise((resolve) => setTimeout(resolve, 250))
		}
		return null
	}
}
