// Types for runtime.mjs, for the TypeScript tests that start the gateway on a direct
// workerd socket (test/e2e/raw-http.test.ts).
export interface Runtime {
	gatewayUrl: string
	baselineUrl: string
	adminToken: string
	workerdPid(): Promise<number | null>
	inspectorUrl(): Promise<URL>
	logs: { errors: number; restarts: number; last: string[] }
	close(): Promise<void>
}
export function startRuntime(opts?: { inspector?: boolean; stateDir?: string }): Promise<Runtime>
export function stateLocation(disk: boolean): { dir: string; kind: 'tmpfs' | 'disk' }
export function runtimeVersions(): {
	wrangler: string | null
	miniflare: string | null
	workerd: string | null
}
