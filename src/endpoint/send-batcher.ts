/**
 * Group commit for queue sends: while one send is in flight, later messages wait and go
 * out together in one `sendBatch` when it returns. An idle endpoint sends each message
 * at once (no added latency); a busy one makes one queue call per group instead of one
 * per request. Each caller learns whether its own message was accepted: when a batch is
 * refused, its messages are sent one by one, so one unacceptable message (too large, say)
 * never takes the others down with it and its own refusal can be told apart.
 * @module
 */
import { SEND_BATCH_MAX_BYTES, SEND_BATCH_MAX_MESSAGES } from '../limits'

export interface BatchSink<T> {
	send(message: T): Promise<void>
	sendBatch(messages: T[]): Promise<void>
}

export type SendResult = { ok: true } | { ok: false; error: unknown }

interface Waiting<T> {
	message: T
	bytes: number
	resolve: (result: SendResult) => void
}

const OK: SendResult = { ok: true }

export class SendBatcher<T> {
	#waiting: Array<Waiting<T>> = []
	#inFlight = false

	constructor(
		private readonly sink: () => BatchSink<T>,
		private readonly sizeOf: (message: T) => number,
	) {}

	/** Resolves once the queue accepted the message, or with the error it refused it with. */
	send(message: T): Promise<SendResult> {
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
				const sink = this.sink()
				if (group.length > 1) {
					try {
						await sink.sendBatch(group.map((w) => w.message))
						for (const w of group) w.resolve(OK)
						continue
					} catch {
						// Learn each message's own fate below.
					}
				}
				for (const w of group) {
					try {
						await sink.send(w.message)
						w.resolve(OK)
					} catch (error) {
						w.resolve({ ok: false, error })
					}
				}
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
