// Nitro task registry:update: scrapes the providers' pricing pages into a new model registry.
import { defineTask } from 'nitropack/runtime'
import { providerModelList } from '../../utils/admin/model-list'
import { updateRegistry } from '../../utils/registry/update'

export default defineTask({
  meta: { name: 'registry:update', description: 'Update model prices from the providers\' pricing pages' },
  async run() {
    return { result: await updateRegistry({ modelList: providerModelList }) }
  },
})
