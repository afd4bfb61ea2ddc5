import { defineAdminHandler } from '../../utils/admin/handler'
import { currentRegistry } from '../../utils/registry/store'

export default defineAdminHandler(() => {
  const registry = currentRegistry()
  return { models: registry?.models ?? [], updatedAt: registry?.updatedAt ?? null, sources: registry?.sources ?? {} }
})
