import { defineAdminHandler, notFound, routeParam } from '../../../../utils/admin/handler'
import { findModel } from '../../../../utils/registry/store'
import { priceHistory } from '../../../../utils/registry/price-history'

export default defineAdminHandler(async (event) => {
  const id = routeParam(event, 'id')
  const entry = findModel(id)
  if (!entry) throw notFound('Model')
  return { id: entry.id, data: await priceHistory(entry.id) }
})
