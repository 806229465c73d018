/**
 * An execution's result on its console page, read through its own result URL (the same
 * handler a caller hits, token check and expiry included). Readable text is shown, up to
 * a size a page can hold; anything else is a link.
 * @module
 */
import type { Context } from 'hono'
import { isJsonType, isXmlType, mediaType } from '../trigger/parse-body'
import { callGateway } from './gateway'
import type { ConsoleEnv } from './middleware'

const PREVIEW_BYTES = 64 * 1024

export type ResultPreview =
	| { kind: 'text'; text: string; json: boolean }
	| { kind: 'link'; reason: string }

export async function loadResult(
	c: Context<ConsoleEnv>,
	resultUrl: string,
): Promise<ResultPreview> {
	const res = await callGateway(c.env, new Request(resultUrl), c.executionCtx)
	if (res.status !== 200) {
		await res.body?.cancel()
		return { kind: 'link', reason: res.status === 202 ? 'Not ready yet.' : 'Not available.' }
	}
	const type = mediaType(res.headers.get('content-type') ?? '')
	const size = Number(res.headers.get('content-length') ?? Number.NaN)
	const readable = isJsonType(type) || type.startsWith('text/') || isXmlType(type)
	if (!readable || size > PREVIEW_BYTES) {
		await res.body?.cancel()
		return { kind: 'link', reason: `${type || 'binary'} result.` }
	}
	const text = await res.text()
	if (text.length > PREVIEW_BYTES) return { kind: 'link', reason: 'Large result.' }
	return { kind: 'text', text, json: isJsonType(type) }
}

export function ResultView(props: { preview: ResultPreview; href: string }) {
	const { preview } = props
	if (preview.kind === 'link')
		return (
			<p>
				<span class="muted">{preview.reason}</span> <a href={props.href}>Open the result</a>
			</p>
		)
	let shown = preview.text
	if (preview.json) {
		try {
			shown = JSON.stringify(JSON.parse(preview.text), null, 2)
		} catch {
			// Shown as stored.
		}
	}
	return (
		<>
			<pre>{shown}</pre>
			<p>
				<a href={props.href}>Result URL</a>
			</p>
		</>
	)
}
