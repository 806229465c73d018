import { describe, expect, it } from 'vitest'
import { createExamples, postJson, waitForStatus } from './helpers'

describe('smoke', () => {
	it('accepts a webhook and runs the echo flow', async () => {
		const { echo } = await createExamples()
		const res = await postJson(echo, { hello: 'world' })
		expect(res.status).toBe(200)
		const { executionId } = (await res.json()) as { executionId: string }
		const exec = await waitForStatus(executionId)
		expect(exec.status).toBe('succeeded')
	})
})
