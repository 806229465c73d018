/**
 * The FIFO lanes' outbox, in memory: which executions of each lane are still to run, in
 * sequence order, the first `inflight` (with a re-drive deadline) and the rest `held`.
 * Nothing here is written: the execution rows are the durable outbox. A lane's entries
 * are its unfinished executions, and its first one is the one in flight, so a restart
 * rebuilds the lanes from the rows (`restore`) and each message from its row's stored
 * request (`message`). A row written per staged, released and removed entry was
 * two-thirds of a FIFO webhook's cost (docs/cost.md).
 *
 * What a restart loses is each in-flight entry's deadline: it is given a fresh one, due
 * soon, and a message re-sent that was only late is dropped by `start`.
 * @module
 */
import type { ExecutionMessage } from '../execution/message'
import { REDISPATCH_AFTER_MS } from '../limits'
import type { ExecutionStore } from './execution-store'

export type PendingState = 'held' | 'inflight'

export interface LaneEntry {
	seq: number
	lane: string
	state: PendingState
	due_at: number | null
}

export class Outbox {
	#entries = new Map<number, LaneEntry>()
	/** Each lane's entries in seq order (the first is the only one that may be in flight). */
	#lanes = new Map<string, LaneEntry[]>()

	/** `endpointId`: the endpoint whose messages these are. */
	constructor(
		private readonly store: ExecutionStore,
		private readonly endpointId: () => string,
	) {}

	/** The message of a lane execution, from its row; null if its request is gone. */
	message(seq: number): ExecutionMessage | null {
		return this.store.message(this.endpointId(), seq)
	}

	/** At start-up: each lane's unfinished executions, the first in flight and due soon. */
	restore(now: number): void {
		this.#entries.clear()
		this.#lanes.clear()
		for (const { seq, lane } of this.store.unfinished.inLanes()) {
			const first = !this.#lanes.has(lane)
			this.add(seq, lane, first ? 'inflight' : 'held', first ? now + REDISPATCH_AFTER_MS : null)
		}
	}

	/** Adds an entry at the end of its lane. */
	add(seq: number, lane: string, state: PendingState, dueAt: number | null): void {
		const entry: LaneEntry = { seq, lane, state, due_at: dueAt }
		this.#entries.set(seq, entry)
		const queue = this.#lanes.get(lane)
		if (queue) queue.push(entry)
		else this.#lanes.set(lane, [entry])
	}

	setDue(seq: number, dueAt: number): void {
		const entry = this.#entries.get(seq)
		if (entry) entry.due_at = dueAt
	}

	remove(seq: number): void {
		const entry = this.#entries.get(seq)
		if (!entry) return
		this.#entries.delete(seq)
		const queue = this.#lanes.get(entry.lane) as LaneEntry[]
		queue.splice(queue.indexOf(entry), 1)
		if (queue.length === 0) this.#lanes.delete(entry.lane)
	}

	stateOf(seq: number): PendingState | undefined {
		return this.#entries.get(seq)?.state
	}

	/** A FIFO lane is busy while its first entry is in flight. */
	laneBusy(lane: string): boolean {
		return this.inflightOf(lane) !== undefined
	}

	/** The lane's execution in flight, if any. */
	inflightOf(lane: string): LaneEntry | undefined {
		const first = this.#lanes.get(lane)?.[0]
		return first?.state === 'inflight' ? first : undefined
	}

	/**
	 * Marks the lane's next held execution in flight, due at `dueAt`, if the lane is free.
	 * Returns it, or undefined when the lane is busy or has nothing held.
	 */
	takeHeld(lane: string, dueAt: number): LaneEntry | undefined {
		const first = this.#lanes.get(lane)?.[0]
		if (!first || first.state === 'inflight') return undefined
		first.state = 'inflight'
		first.due_at = dueAt
		return first
	}

	/** Each lane's entry in flight (a lane's first entry, when it is released). */
	*#inflight(): Generator<LaneEntry> {
		for (const queue of this.#lanes.values()) if (queue[0]?.state === 'inflight') yield queue[0]
	}

	/** In-flight entries whose deadline has passed, oldest first. */
	due(now: number, limit: number): LaneEntry[] {
		const found = [...this.#inflight()].filter((e) => (e.due_at ?? 0) <= now)
		return found.sort((a, b) => a.seq - b.seq).slice(0, limit)
	}

	/** The earliest in-flight deadline, for the alarm. */
	nextDue(): number | null {
		let next: number | null = null
		for (const { due_at } of this.#inflight())
			if (due_at !== null && (next === null || due_at < next)) next = due_at
		return next
	}

	/** Every in-flight deadline passes now, as if the lanes had been still for long (tests). */
	lapse(): void {
		for (const entry of this.#inflight()) entry.due_at = 0
	}

	counts(): { pending: number; held: number } {
		let held = 0
		for (const entry of this.#entries.values()) if (entry.state === 'held') held++
		return { pending: this.#entries.size, held }
	}
}
