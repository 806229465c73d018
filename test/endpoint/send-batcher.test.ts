import { describe, expect, it } from 'vitest'
import { SendBatcher } from '../../src/endpoint/send-batcher'

function recordingSink(failWhen: (n: number[]) => boolean = () => false) {
	const calls: number[][] = []
	let release: (() => void) | null = null
	const sink = {
		async send(m: number) {
			calls.push([m])
			// Only the first send is held open, so later ones queue up behind it.
			if (calls.length === 1) {
				await new Promise<void>((r) => {
					release = r
				})
			}
			if (failWhen([m])) throw new Error('down')
		},
		async sendBatch(ms: number[]) {
			calls.push(ms)
			if (failWhen(ms)) throw new Error('down')
		},
	}
	return { sink, calls, release: () => release?.() }
}

describe('SendBatcher (group commit)', () => {
	it('sends alone when idle, and groups what arrives while a send is in flight', async () => {
		const { sink, calls, release } = recordingSink()
		const b = new SendBatcher<number>(
			() => sink,
			() => 10,
		)
		const first = b.send(1)
		const rest = [b.send(2), b.send(3), b.send(4)]
		release()
		expect(await first).toEqual({ ok: true })
		expect(await Promise.all(rest)).toEqual([{ ok: true }, { ok: true }, { ok: true }])
		expect(calls).toEqual([[1], [2, 3, 4]])
	})

	it('a refused batch is sent one by one: only the unacceptable message fails, with its error', async () => {
		const { sink, calls, release } = recordingSink((ms) => ms.includes(3))
		const b = new SendBatcher<number>(
			() => sink,
			() => 10,
		)
		const first = b.send(1)
		const rest = [b.send(2), b.send(3), b.send(4)]
		release()
		expect(await first).toEqual({ ok: true })
		const [two, three, four] = await Promise.all(rest)
		expect(two).toEqual({ ok: true })
		expect(three).toMatchObject({ ok: false, error: new Error('down') })
		expect(four).toEqual({ ok: true })
		expect(calls).toEqual([[1], [2, 3, 4], [2], [3], [4]])
	})

	it('splits groups at 100 messages and at the batch byte limit', async () => {
		const { sink, calls, release } = recordingSink()
		const b = new SendBatcher<number>(
			() => sink,
			(m) => (m >= 1000 ? 200_000 : 10),
		)
		const first = b.send(0)
		const many = Array.from({ length: 150 }, (_, i) => b.send(i + 1))
		const big = [b.send(1000), b.send(1001)]
		release()
		await Promise.all([first, ...many, ...big])
		expect(calls.map((c) => c.length)).toEqual([1, 100, 51, 1])
		expect(calls[2]?.slice(-1)).toEqual([1000])
	})
})
