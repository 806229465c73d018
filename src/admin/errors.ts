/**
 * Errors shared by the admin routes.
 * @module
 */
import { GatewayError } from '../lib/errors'

export const notFound = (what: string) => new GatewayError(404, 'not_found', `${what} not found.`)
