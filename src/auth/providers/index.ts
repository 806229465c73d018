/**
 * The provider presets by name: the common shape as data rows, the rest in code.
 * @module
 */
import type { HmacPreset } from '../schema'
import type { HmacScheme } from '../scheme'
import { github } from './github'
import { gitlab } from './gitlab'
import { hubspot } from './hubspot'
import { linear } from './linear'
import { rowScheme } from './row'
import { ROWS } from './rows'
import { standardWebhooks, svix } from './standard-webhooks'
import { twilio } from './twilio'
import { zoom } from './zoom'

type RowPreset = keyof typeof ROWS

const rowSchemes = Object.fromEntries(
	Object.entries(ROWS).map(([name, row]) => [name, rowScheme(row)]),
) as Record<RowPreset, HmacScheme>

// A Record over the schema's enum: adding a preset name without its scheme fails to compile.
export const PRESETS: Readonly<Record<HmacPreset, HmacScheme>> = {
	...rowSchemes,
	github,
	gitlab,
	linear,
	'standard-webhooks': standardWebhooks,
	svix,
	// Clerk and Resend deliver through Svix: svix-* headers and a whsec_ secret.
	clerk: svix,
	resend: svix,
	twilio,
	zoom,
	hubspot,
}
