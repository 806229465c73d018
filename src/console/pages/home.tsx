/**
 * The console's home page: every instance with its endpoints, each with its trigger URL
 * to copy and the last ten minutes of admissions, so a glance shows what is live.
 * @module
 */
import type { Hono } from 'hono'
import { type ActivityMinute, activityTotals, REFUSAL_REASONS } from '../../endpoint/activity'
import { endpointStub } from '../../endpoint/stub'
import { publicOrigin, triggerUrl } from '../../lib/urls'
import { registryStub } from '../../registry/registry-do'
import { authLabel, CopyUrl } from '../layout'
import type { ConsoleEnv } from '../middleware'

function Bars(props: { values: number[]; label: string }) {
	const max = Math.max(1, ...props.values)
	return (
		<div class="bars" role="img" aria-label={`${props.label}: ${props.values.join(', ')}`}>
			{props.values.map((v) => (
				<span style={`height:${Math.round((v / max) * 100)}%`} title={String(v)} />
			))}
		</div>
	)
}

export function homePage(app: Hono<ConsoleEnv>): void {
	app.get('/', async (c) => {
		const env = c.env
		const origin = publicOrigin(env, c.req.url)
		const instances = await registryStub(env).listInstances()
		const rows = await Promise.all(
			instances.map(async (instance) => {
				const ids = [...new Set(instance.endpoints.map((e) => e.id))]
				const endpoints = await Promise.all(
					ids.map(async (id) => {
						const stub = endpointStub(env, id)
						const [config, activity] = await Promise.all([stub.getConfig(), stub.activity(10)])
						return { id, config, activity }
					}),
				)
				return { instance, endpoints }
			}),
		)
		return c.render(
			<>
				<h1>Instances</h1>
				{rows.length === 0 ? (
					<p>
						No instances yet. Create one with <code>POST /api/instances</code>.
					</p>
				) : null}
				{rows.map(({ instance, endpoints }) => (
					<section class="card" aria-labelledby={`i-${instance.id}`}>
						<h2 id={`i-${instance.id}`}>
							{instance.name}{' '}
							<span class="muted">
								{instance.integration} · {instance.id}
							</span>
						</h2>
						<table>
							<thead>
								<tr>
									<th>Endpoint</th>
									<th class="hide">Auth</th>
									<th class="hide">Limit</th>
									<th class="hide">FIFO</th>
									<th>Last 10 min</th>
								</tr>
							</thead>
							<tbody>
								{endpoints.map(({ id, config, activity }) =>
									config ? (
										<tr>
											<td>
												<a href={`/console/endpoints/${id}`}>
													{config.flow || instance.endpoints.map((e) => e.flow).join(', ')}
												</a>
												<CopyUrl url={triggerUrl(origin, id)} />
											</td>
											<td class="hide">{authLabel(config)}</td>
											<td class="hide">{config.rateLimit.requestsPerSecond}/s</td>
											<td class="hide">
												{config.fifo === false
													? 'no'
													: config.fifo === true
														? 'yes'
														: `by ${config.fifo.key}`}
											</td>
											<td>
												<Bars
													label="admitted per minute"
													values={activity.map((a) => a.admitted)}
												/>
												<Tally activity={activity} />
											</td>
										</tr>
									) : null,
								)}
							</tbody>
						</table>
					</section>
				))}
			</>,
			{ title: 'Instances' },
		)
	})
}

/**
 * Admitted and refused requests of the last minutes, with why 401s and 403s were given:
 * the operator's answer to "why does my webhook get 401?" (senders never see reasons).
 */
function Tally({ activity }: { activity: ActivityMinute[] }) {
	const totals = activityTotals(activity)
	const reasons = REFUSAL_REASONS.filter((r) => totals.reasons[r] > 0)
		.map((r) => `${r} ${totals.reasons[r]}`)
		.join(', ')
	return (
		<span class="muted">
			admitted {totals.admitted} · 401 {totals.unauthorized} · 403 {totals.forbidden} · 429{' '}
			{totals.rateLimited}
			{totals.filtered > 0 ? ` · filtered ${totals.filtered}` : ''}
			{reasons ? ` (${reasons})` : ''}
		</span>
	)
}
