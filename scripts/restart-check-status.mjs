// Counts the endpoint's executions by status (pages through the admin API).
import { allExecutions } from './lib/executions.mjs'

const [base, ep] = [process.argv[2], process.argv[3]]
const counts = {}
for (const e of await allExecutions(base, ep)) counts[e.status] = (counts[e.status] ?? 0) + 1
console.log(new Date().toISOString().slice(11, 19), JSON.stringify(counts))
