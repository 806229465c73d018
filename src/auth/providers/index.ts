/**
 * The provider presets by name.
 * @module
 */
import type { HmacPreset } from '../schema'
import type { HmacScheme } from '../scheme'
import { github } from './github'
import { hubspot } from './hubspot'
import { paddle } from './paddle'
import { shopify } from './shopify'
import { slack } from './slack'
import { square } from './square'
import { standardWebhooks, svix } from './standard-webhooks'
import { stripe } from './stripe'
import { twilio } from './twilio'
import { zoom } from './zoom'

// A Record over the schema's enum: adding a preset name without its scheme fails to compile.
export const PRESETS: Readonly<Record<HmacPreset, HmacScheme>> = {
	github,
	stripe,
	slack,
	shopify,
	'standard-webhooks': standardWebhooks,
	svix,
	twilio,
	zoom,
	square,
	hubspot,
	paddle,
}
