/**
 * How an accepted request travels to the runner, decided once, before anything is
 * accepted: its body inside the queue message, or in R2 by reference, or not at all.
 * A request that cannot be carried either way (headers and URL alone past a queue
 * message) is refused with 431 instead of being answered 200 and never run.
 * @module
 */
import { MAX_QUEUE_MESSAGE_BYTES } from '../limits'
import { ENVELOPE_FIELDS_BYTES, envelopeOverheadBytes, type RequestEnvelope } from './message'

/** What a body carried by reference adds to a message: `{ r2Key, size }`. */
const R2_REFERENCE_BYTES = 160

export type Carriage =
	| { ok: true; byReference: boolean }
	| { ok: false; status: 431; message: string }

export function carriageOf(envelope: Omit<RequestEnvelope, 'body'>, bodyBytes: number): Carriage {
	const overhead = envelopeOverheadBytes(envelope)
	if (overhead + R2_REFERENCE_BYTES > MAX_QUEUE_MESSAGE_BYTES) {
		return {
			ok: false,
			status: 431,
			message: `Request headers too large: ${overhead - ENVELOPE_FIELDS_BYTES} bytes of headers and URL, at most ${MAX_QUEUE_MESSAGE_BYTES - R2_REFERENCE_BYTES - ENVELOPE_FIELDS_BYTES} can be carried.`,
		}
	}
	return { ok: true, byReference: overhead + bodyBytes > MAX_QUEUE_MESSAGE_BYTES }
}
