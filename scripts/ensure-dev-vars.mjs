// Creates .dev.vars (local secrets for `wrangler dev`) from the example on first run, so
// `npm install && npm run dev` works from a fresh clone. An existing file is left alone.
import { copyFileSync, existsSync } from 'node:fs'

if (!existsSync('.dev.vars')) {
	copyFileSync('.dev.vars.example', '.dev.vars')
	console.log('Created .dev.vars from .dev.vars.example (ADMIN_TOKEN=dev-admin-token).')
}
