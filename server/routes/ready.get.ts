// Readiness: 200 only when the database answers and the registry is loaded, else 503 with each check.
import { defineEventHandler, setResponseStatus } from 'h3'
import { readiness } from '../utils/ops/health'

export default defineEventHandler(async (event) => {
  const { ok, checks, circuits } = await readiness()
  setResponseStatus(event, ok ? 200 : 503)
  return { status: ok ? 'ok' : 'unavailable', checks, circuits }
})
