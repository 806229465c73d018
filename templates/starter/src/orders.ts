/**
 * An integration of this project: a shop posts orders, the flow turns each into a summary
 * (line count and gross total in the instance's currency).
 * @module
 */
import { defineIntegration } from 'triggerflare'

interface Order {
	id: string
	lines: Array<{ sku: string; quantity: number; unitPrice: number }>
}

export default defineIntegration({
	name: 'orders',
	description: 'Summarises order webhooks.',
	config: {
		currency: { type: 'string', default: 'EUR' },
		taxRate: { type: 'number', default: 0.2 },
	},
	flows: {
		created: {
			async onExecution(context, payload) {
				const order = payload.body.data as Order
				const net = await context.step('net', () =>
					order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
				)
				context.log.info('order summarised', { id: order.id })
				return {
					id: order.id,
					lines: order.lines.length,
					gross: Math.round(net * (1 + context.config.taxRate) * 100) / 100,
					currency: context.config.currency,
				}
			},
		},
	},
})
