import { describe, expect, it } from 'vitest'
import { RateWindow } from '../../src/endpoint/rate-window'

function admitMany(w: RateWindow, at: number, n: number): number {
	let admitted = 0
	for (let i = 0; i < n; i++) if (w.admit(at).admitted) admitted++
	return admitted
}

describe('RateWindow (exact rolling window)', () => {
	it('admits the limit, refuses the next one inside the window, with the wait until a slot frees', () => {
		const w = new RateWindow(50)
		expect(admitMany(w, 10_000, 50)).toBe(50)
		const refused = w.admit(10_400)
		expect(refused).toEqual({ admitted: false, retryAfterMs: 600 })
	})

	it('admits again exactly when the oldest admission leaves the window', () => {
		const w = new RateWindow(50)
		admitMany(w, 10_000, 50)
		expect(w.admit(10_999).admitted).toBe(false)
		// The window is (t - 1000, t]: at 11_000 all 50 admissions of 10_000 have left it.
		expect(admitMany(w, 11_000, 51)).toBe(50)
	})

	it('is not a per-second bucket: a burst at the end of one second blocks the start of the next', () => {
		const w = new RateWindow(50)
		expect(admitMany(w, 5_900, 50)).toBe(50) // late in second 5
		// A fixed bucket would reset at 6_000 and admit 50 more here.
		expect(admitMany(w, 6_100, 50)).toBe(0)
		expect(w.admit(6_100)).toEqual({ admitted: false, retryAfterMs: 800 })
		expect(admitMany(w, 6_900, 50)).toBe(50)
	})

	it('never admits more than the limit in any 1 s window under a steady overload', () => {
		const w = new RateWindow(50)
		const admittedAt: number[] = []
		// 500 requests/second for 5 seconds, one every 2 ms.
		for (let t = 0; t < 5_000; t += 2) if (w.admit(t).admitted) admittedAt.push(t)
		for (const start of admittedAt) {
			const inWindow = admittedAt.filter((t) => t >= start && t < start + 1000).length
			expect(inWindow).toBeLessThanOrEqual(50)
		}
		// And it does not under-admit: 50 per second over 5 seconds.
		expect(admittedAt.length).toBe(250)
	})

	it('spreads admissions as they free up: every slot is reused one window later', () => {
		const w = new RateWindow(3)
		expect(w.admit(0).admitted).toBe(true)
		expect(w.admit(300).admitted).toBe(true)
		expect(w.admit(600).admitted).toBe(true)
		expect(w.admit(900)).toEqual({ admitted: false, retryAfterMs: 100 })
		expect(w.admit(1000).admitted).toBe(true)
		expect(w.admit(1200)).toEqual({ admitted: false, retryAfterMs: 100 })
		expect(w.admit(1300).admitted).toBe(true)
	})

	it('restores from history (the DO reloads it after eviction)', () => {
		const w = new RateWindow(3, 1000, [100, 200, 300])
		expect(w.admit(500).admitted).toBe(false)
		expect(w.admit(1100).admitted).toBe(true)
	})

	it('does not open room when the clock steps backwards', () => {
		const w = new RateWindow(2)
		w.admit(5_000)
		w.admit(5_000)
		expect(w.admit(3_000).admitted).toBe(false)
	})

	it('revertLast frees the slot of a request that could not be made durable', () => {
		const w = new RateWindow(2)
		w.admit(0)
		w.admit(10)
		w.revertLast()
		expect(w.count(20)).toBe(1)
		expect(w.admit(20).admitted).toBe(true)
		expect(w.admit(30).admitted).toBe(false)
		// Full ring: the reverted slot becomes the oldest and is immediately reusable.
		const full = new RateWindow(2)
		full.admit(0)
		full.admit(5)
		full.admit(1000)
		full.revertLast()
		expect(full.admit(1001).admitted).toBe(true)
		expect(full.admit(1002).admitted).toBe(false)
	})

	it('keeps known admissions when the limit changes', () => {
		const w = new RateWindow(5)
		admitMany(w, 0, 5)
		const smaller = w.withLimit(3)
		expect(smaller.admit(10).admitted).toBe(false)
		const larger = w.withLimit(6)
		expect(larger.admit(10).admitted).toBe(true)
		expect(larger.admit(10).admitted).toBe(false)
	})

	it('rejects a non-positive limit', () => {
		expect(() => new RateWindow(0)).toThrow(RangeError)
	})
})
