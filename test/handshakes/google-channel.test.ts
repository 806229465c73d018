import { describe, expect, it } from 'vitest'
import { findHandshake } from '../../src/handshakes'
import { answerOf, expectEmpty, request } from './support'

const configs = [{ type: 'google-channel' as const }]

// The sync message Google documents for Drive and Calendar push notifications:
// https://developers.google.com/workspace/drive/api/guides/push
const SYNC = {
	'X-Goog-Channel-ID': '01234567-89ab-cdef-0123456789ab',
	'X-Goog-Channel-Token': 'target=myApp-myFilesChannelDest',
	'X-Goog-Channel-Expiration': 'Tue, 19 Nov 2013 01:13:52 GMT',
	'X-Goog-Resource-ID': 'ret08u3rv24htgh289g',
	'X-Goog-Resource-URI': 'https://www.googleapis.com/drive/v3/files/ret08u3rv24htgh289g',
	'X-Goog-Resource-State': 'sync',
	'X-Goog-Message-Number': '1',
}

describe('google-channel sync message', () => {
	it('answers the documented sync message 200 with no body, after authentication', async () => {
		const match = findHandshake(configs, request('POST', '', SYNC))
		expect(match).toMatchObject({ type: 'google-channel', signedByProvider: true })
		await expectEmpty(await answerOf(match))
	})

	it('leaves change notifications (update, add, remove, trash, exists) alone', () => {
		for (const state of ['update', 'add', 'remove', 'trash', 'untrash', 'change', 'exists']) {
			const headers = { ...SYNC, 'X-Goog-Resource-State': state, 'X-Goog-Message-Number': '2' }
			expect(findHandshake(configs, request('POST', '', headers))).toBeNull()
		}
	})

	it('is not a handshake without a channel id, or as a GET', () => {
		const { 'X-Goog-Channel-ID': _, ...noChannel } = SYNC
		expect(findHandshake(configs, request('POST', '', noChannel))).toBeNull()
		expect(findHandshake(configs, request('GET', '', SYNC))).toBeNull()
	})
})
