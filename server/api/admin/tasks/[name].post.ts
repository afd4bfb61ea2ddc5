import { runTask } from 'nitropack/runtime'
import { defineAdminHandler, notFound, routeParam } from '../../../utils/admin/handler'
import { taskCatalog } from '../../../utils/tasks/catalog'

export default defineAdminHandler(async (event) => {
  const name = routeParam(event, 'name')
  if (!taskCatalog().some(t => t.name === name)) throw notFound(`Task '${name}'`)
  const { result } = await runTask(name, { payload: { trigger: 'admin' } })
  return { task: name, result }
})
