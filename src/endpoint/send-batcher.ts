/**
 * Group commit for queue sends: while one send is in flight, later messages wait and go
 * out together in one `sendBatch` when it returns. An idle endpoint sends each message
 * at once (no added latency); a busy one makes one queue call per group instead of one
 * per request. Each caller learns whether its own message was accepted.
 * @module
 */
import { SEND_BATCH_MAX_BYTES, SEND_BATCH_MAX_MESSAGES } from '../limits'

export interface BatchSink<T> {
	send(message: T): Promise<void>
	sendBatch(messages: T[]): Promise<void>
}

interface Waiting<T> {
	message: T
	bytes: number
	resolve: (ok: boolean) => void
}

export class SendBatcher<T> {
	#waiting: Array<Waiting<T>> = []
	#inFlight = false

	constructor(
		private readonly sink: () => BatchSink<T>,
		private readonly sizeOf: (message: T) => number,
	) {}

	/** Resolves true once the queue accepted the message, false if the send failed. */
	send(message: T): Promise<boolean> {
		return new Promise((resolve) => {
			this.#waiting.push({ message, bytes: this.sizeOf(message), resolve })
			if (!this.#inFlight) void this.#drain()
		})
	}

	async #drain(): Promise<void> {
		this.#inFlight = true
		try {
			while (this.#waiting.length > 0) {
				const group = this.#take()
				let ok = true
				try {
					const sink = this.sink()
					if (group.length === 1) await sink.send((group[0] as Waiting<T>).message)
					else await sink.sendBatch(group.map((w) => w.message))
				} catch {
					ok = false
				}
				for (const w of group) w.resolve(ok)
			}
		} finally {
			this.#inFlight = false
		}
	}

	/** The next group that fits one `sendBatch` call (count and total size limits). */
	#take(): Array<Waiting<T>> {
		const group: Array<Waiting<T>> = []
		let bytes = 0
		while (this.#waiting.length > 0 && group.length < SEND_BATCH_MAX_MESSAGES) {
			const next = this.#waiting[0] as Waiting<T>
			if (group.length > 0 && bytes + next.bytes > SEND_BATCH_MAX_BYTES) break
			group.push(next)
			bytes += next.bytes
			this.#waiting.shift()
		}
		return group
	}
}
