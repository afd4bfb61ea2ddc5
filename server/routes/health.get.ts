// Liveness for load balancers and orchestrators: no auth, no I/O.
import { defineEventHandler } from 'h3'

export default defineEventHandler(() => ({ status: 'ok' }))
