// Liveness: 200 while the process can reach its database.
import { defineEventHandler, setResponseStatus } from 'h3'
import { databaseCheck } from '../utils/ops/health'

export default defineEventHandler(async (event) => {
  const db = await databaseCheck()
  setResponseStatus(event, db.ok ? 200 : 503)
  return { status: db.ok ? 'ok' : 'unavailable', checks: { database: db } }
})
