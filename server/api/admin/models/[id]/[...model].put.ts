import { z } from 'zod'
import { adminBody, defineAdminHandler, routeParam } from '../../../../utils/admin/handler'
import { providerParam, unknownProvider } from '../../../../utils/admin/providers'
import { isOfficial, providerAccess } from '../../../../utils/gateway/connections'
import { setConnectionPrice } from '../../../../utils/registry/connection-models'
import { ModelMode, PriceAs, Pricing } from '../../../../utils/registry/schema'
import { findModel } from '../../../../utils/registry/store'
import { GatewayError } from '../../../../utils/core/errors'

// A connection's model price: `{pricing}` (USD per 1M tokens), `{priceAs: {model, multiplier?}}` or
// `{free: true}`, each with an optional `mode`. Creates the registry entry when discovery has not.
const Body = z.union([
  z.object({ pricing: Pricing, mode: ModelMode.optional() }).strict(),
  z.object({ priceAs: PriceAs, mode: ModelMode.optional() }).strict(),
  z.object({ free: z.literal(true), mode: ModelMode.optional() }).strict(),
])

export default defineAdminHandler(async (event) => {
  const connection = providerParam(routeParam(event, 'id'))
  const model = routeParam(event, 'model')
  if (isOfficial(connection)) {
    throw new GatewayError(409, `${connection}'s models are priced from its pricing page; set a manual price with PATCH /api/admin/models/:id.`, 'invalid_request_error', 'official_provider')
  }
  if (!providerAccess(connection)) throw unknownProvider(connection)
  if (!model || model.length > 200) throw new GatewayError(400, 'The model name is missing or too long.', 'invalid_request_error', 'invalid_model', 'model')
  const { mode, ...price } = await adminBody(event, Body)
  if ('priceAs' in price) {
    const base = findModel(price.priceAs.model)
    // One step only: the model priced as must have its own price (or be free).
    if (!base?.pricing && !base?.free) throw new GatewayError(400, `priceAs names '${price.priceAs.model}', which is not a registry model with a price of its own.`, 'invalid_request_error', 'invalid_price_as', 'priceAs.model')
  }
  return setConnectionPrice(connection, model, price, mode)
})
