/**
 * JSON-safe values. Durable Object RPC types everything it carries; `unknown` does not
 * cross that boundary, so records and configs are typed as JSON.
 * @module
 */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }
