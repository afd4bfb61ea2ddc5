// Requests that arrive while the gateway is still opening its database wait for it (start-up only).
import { defineEventHandler } from 'h3'
import { startGateway } from '../utils/app/lifecycle'

let ready = false

export default defineEventHandler(async () => {
  if (ready) return
  await startGateway()
  ready = true
})
