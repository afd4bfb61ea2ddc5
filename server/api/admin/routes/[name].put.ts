import { adminBody, defineAdminHandler, routeParam } from '../../../utils/admin/handler'
import { GatewayError, fromZodError } from '../../../utils/core/errors'
import { findRoute, routesChanged } from '../../../utils/gateway/routes'
import { findModel } from '../../../utils/registry/store'
import { RouteInput, RouteName, saveRoute } from '../../../utils/store/routes'

export default defineAdminHandler(async (event) => {
  const name = RouteName.safeParse(routeParam(event, 'name'))
  if (!name.success) throw fromZodError(name.error)
  const route = await adminBody(event, RouteInput)
  const unknown = route.targets.find(t => !findModel(t.model.replace(/^(openai|anthropic|google|gemini)\//, '')))
  if (unknown) throw new GatewayError(400, `The target model '${unknown.model}' is not in the registry.`, 'invalid_request_error', 'model_not_found', 'targets')
  await saveRoute(name.data, route)
  await routesChanged()
  return findRoute(name.data)
})
