import { z } from 'zod'
import { adminBody, defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { setManualPricing } from '../../../utils/registry/override'
import { Pricing } from '../../../utils/registry/schema'

// `{pricing: {...}}` sets a manual price that wins over scraped ones; `{pricing: null}` clears it.
const Body = z.object({ pricing: Pricing.nullable() }).strict()

export default defineAdminHandler(async (event) => {
  const { pricing } = await adminBody(event, Body)
  const entry = await setManualPricing(routeParam(event, 'id'), pricing)
  if (!entry) throw notFound('Model')
  return entry
})
