// Liveness for load balancers and orchestrators: no auth, no I/O.
export default defineEventHandler(() => ({ status: 'ok' }))
