/**
 * Retry delays for failed attempts.
 * @module
 */
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../integrations/define'
import { MAX_QUEUE_DELAY_SECONDS } from '../limits'

export function resolvePolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
	const p = { ...DEFAULT_RETRY_POLICY, ...partial }
	return {
		attempts: Math.max(1, Math.floor(p.attempts)),
		initialDelayMs: Math.max(0, p.initialDelayMs),
		factor: Math.max(1, p.factor),
		maxDelayMs: Math.max(0, p.maxDelayMs),
		jitter: Math.min(1, Math.max(0, p.jitter)),
	}
}

/**
 * Seconds to wait before attempt `failedAttempt + 1`. Queue delays are whole seconds in
 * 0..43,200, so the value is rounded up and clamped (an out-of-range delay throws).
 */
export function retryDelaySeconds(
	policy: RetryPolicy,
	failedAttempt: number,
	random: () => number = Math.random,
): number {
	const base = Math.min(
		policy.maxDelayMs,
		policy.initialDelayMs * policy.factor ** Math.max(0, failedAttempt - 1),
	)
	const withJitter = base + base * policy.jitter * random()
	return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil(withJitter / 1000)))
}
