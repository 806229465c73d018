/**
 * The console's page frame and small shared components. Everything shown is rendered
 * through JSX, which escapes text and attributes: payloads are attacker-controlled.
 * The frame is a `jsxRenderer` layout, so a page renders only its own content with
 * `c.render(content, { title })` and cannot forget the header, styles or sign-out form.
 * @module
 */
import type { Context } from 'hono'
import { jsxRenderer } from 'hono/jsx-renderer'
import type { EndpointConfig } from '../endpoint/config'

declare module 'hono' {
	interface ContextRenderer {
		// biome-ignore lint/style/useShorthandFunctionType: augments Hono's interface
		(content: string | Promise<string>, props: { title: string }): Response | Promise<Response>
	}
}

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#1b1f24;background:#f6f7f9}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;padding:.75rem 1rem;background:#14213d;color:#fff}
header a{color:#fff}header nav{display:flex;gap:1rem;flex:1}main{padding:1rem;max-width:72rem;margin:0 auto}
a{color:#0b5cad}a:focus,button:focus,input:focus,select:focus{outline:3px solid #f5a524;outline-offset:2px}
h1{font-size:1.4rem;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:1rem;margin:0 0 1rem;overflow-x:auto}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #eceff2;vertical-align:top}
th{font-weight:600;font-size:.85rem;color:#555}code,pre{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-all;background:#f2f4f7;padding:.75rem;border-radius:6px;margin:.25rem 0}
.url{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}.url code{word-break:break-all}
button,.button{font:inherit;padding:.35rem .8rem;border-radius:6px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:#0b5cad}.status{padding:.1rem .45rem;border-radius:999px;font-size:.8rem;font-weight:600}
.succeeded{background:#dcf5e3;color:#136c2e}.failed{background:#fde2e1;color:#a4161a}.running,.queued,.retrying{background:#fff2cc;color:#7a5800}
.muted{color:#666;font-size:.85rem}.row{display:flex;gap:1rem;flex-wrap:wrap}.row>*{flex:1 1 16rem}
form.inline{display:inline}label{display:block;margin:.5rem 0 .25rem}input[type=password],input[type=text],select{font:inherit;padding:.4rem;width:100%;max-width:24rem}
textarea{display:block;width:100%;font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;padding:.5rem;border:1px solid #c4cad2;border-radius:6px;margin:0 0 .5rem}
textarea:focus{outline:3px solid #f5a524;outline-offset:2px}[aria-invalid=true]{border-color:#a4161a}
.error{background:#fde2e1;color:#a4161a;padding:.5rem .75rem;border-radius:6px}.notice{background:#dcf5e3;color:#136c2e;padding:.5rem .75rem;border-radius:6px}
ul.flows{margin:0;padding-left:1.1rem}
.bars{display:flex;gap:2px;align-items:flex-end;height:2.5rem}.bars span{flex:1;background:#9ab7d8;min-height:1px}
@media (max-width:600px){th.hide,td.hide{display:none}main{padding:.5rem}}
`

const COPY_SCRIPT = `document.addEventListener('click',e=>{const b=e.target.closest('[data-copy]');if(!b)return;navigator.clipboard&&navigator.clipboard.writeText(b.dataset.copy).then(()=>{b.textContent='Copied';setTimeout(()=>b.textContent='Copy',1500)})})`

/**
 * The page frame. Signed in means the session check ran (it sets the CSRF token the
 * sign-out form carries); the sign-in pages render before it and get no navigation.
 * No DOCTYPE, as when pages rendered themselves.
 */
export const consoleRenderer = jsxRenderer(
	({ children, title }, c: Context) => {
		const csrf: string | undefined = c.get('csrf')
		return (
			<html lang="en">
				<head>
					<meta charset="utf-8" />
					<meta name="viewport" content="width=device-width, initial-scale=1" />
					<title>{title} · triggerflare</title>
					<style>{CSS}</style>
				</head>
				<body>
					<header>
						<strong>triggerflare</strong>
						{csrf !== undefined ? (
							<>
								<nav aria-label="Main">
									<a href="/console">Instances</a>
									<a href="/console/integrations">Integrations</a>
								</nav>
								<form method="post" action="/console/logout" class="inline">
									<input type="hidden" name="csrf" value={csrf} />
									<button type="submit" class="secondary">
										Sign out
									</button>
								</form>
							</>
						) : null}
					</header>
					<main>{children}</main>
					<script>{COPY_SCRIPT}</script>
				</body>
			</html>
		)
	},
	{ docType: false },
)

export function Status(props: { status: string }) {
	return <span class={`status ${props.status}`}>{props.status}</span>
}

export function CopyUrl(props: { url: string }) {
	return (
		<span class="url">
			<code>{props.url}</code>
			<button
				type="button"
				class="secondary"
				data-copy={props.url}
				aria-label={`Copy ${props.url}`}
			>
				Copy
			</button>
		</span>
	)
}

export function Csrf(props: { token: string }) {
	return <input type="hidden" name="csrf" value={props.token} />
}

export function authLabel(config: EndpointConfig): string {
	const auth = config.auth
	if (auth.type === 'hmac') return `hmac (${auth.preset ?? 'generic'})`
	if (auth.type === 'publicKey') return `public key (${auth.preset})`
	return auth.type
}
