/**
 * The console's Integrations page: every integration this gateway runs, the code ones
 * (modules listed in integrations/registry.ts) and the data ones (written through
 * `PUT /api/integrations/{name}`), with their flows and, for data ones, their version.
 * @module
 */
import type { Hono } from 'hono'
import { listIntegrations } from '../../integrations/registry'
import { registryStub } from '../../registry/registry-do'
import type { ConsoleEnv } from '../middleware'

/** The options of a flow the page summarizes; code and data flows share them. */
export interface FlowOptions {
	mode?: string
	fifo?: boolean | { key: string }
	auth?: { type: string; preset?: string }
	filter?: string
}

/** One line per flow: what a sender meets at its endpoint (the defaults spelled out). */
export function FlowList(props: { flows: Record<string, FlowOptions> }) {
	const entries = Object.entries(props.flows)
	if (entries.length === 0) return <p class="muted">No flows.</p>
	return (
		<ul class="flows">
			{entries.map(([name, flow]) => {
				const auth = flow.auth ?? { type: 'none' }
				const fifo =
					flow.fifo === undefined || flow.fifo === false
						? 'off'
						: flow.fifo === true
							? 'on'
							: `by ${flow.fifo.key}`
				return (
					<li>
						<code>{name}</code>{' '}
						<span class="muted">
							mode {flow.mode ?? 'async'} · FIFO {fifo} · auth {auth.type}
							{auth.preset ? ` (${auth.preset})` : ''}
							{flow.filter !== undefined ? ' · filtered' : ''}
						</span>
					</li>
				)
			})}
		</ul>
	)
}

interface Row {
	name: string
	source: 'code' | 'api'
	version?: number
	description?: string | undefined
	flows: Record<string, FlowOptions>
}

export function integrationsPage(app: Hono<ConsoleEnv>): void {
	app.get('/integrations', async (c) => {
		const code: Row[] = listIntegrations().map((i) => ({
			name: i.name,
			source: 'code',
			description: i.description,
			flows: i.flows,
		}))
		const data: Row[] = (await registryStub(c.env).listIntegrations()).map((i) => ({
			name: i.name,
			source: 'api',
			version: i.version,
			description: i.definition.description,
			flows: i.definition.flows,
		}))
		const rows = [...code, ...data]
		return c.render(
			<>
				<h1>Integrations</h1>
				<p>
					<a class="button" href="/console/new-integration">
						New integration
					</a>
				</p>
				<div class="card">
					<table>
						<thead>
							<tr>
								<th>Integration</th>
								<th>Flows</th>
							</tr>
						</thead>
						<tbody>
							{rows.map((row) => (
								<tr>
									<td>
										<a href={`/console/integrations/${encodeURIComponent(row.name)}`}>{row.name}</a>
										<br />
										<span class="muted">
											{row.source === 'code' ? 'code' : `api · version ${row.version}`}
										</span>
									</td>
									<td>
										{row.description ? <p class="muted">{row.description}</p> : null}
										<FlowList flows={row.flows} />
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</>,
			{ title: 'Integrations' },
		)
	})
}
