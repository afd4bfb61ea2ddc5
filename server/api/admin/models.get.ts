import { defineAdminHandler } from '../../utils/admin/handler'
import { currentRegistry } from '../../utils/registry/store'

export default defineAdminHandler(() => {
  const registry = currentRegistry()
  return { version: registry?.version ?? null, models: registry?.models ?? [], updatedAt: registry?.updatedAt ?? null, sources: registry?.sources ?? {} }
})
