/**
 * The URL a sender signed, for schemes that sign it (Twilio, Square, HubSpot).
 * @module
 */

/**
 * Behind a proxy the Worker sees another origin than the sender used, so the configured
 * public base replaces the origin; path and query are kept exactly as received.
 */
export function publicUrl(requestUrl: string, publicBaseUrl: string | undefined): string {
	if (!publicBaseUrl) return requestUrl
	const url = new URL(requestUrl)
	return `${publicBaseUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`
}
