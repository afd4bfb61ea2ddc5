import { updateRegistry } from '../../utils/registry/update'

export default defineTask({
  meta: { name: 'registry:update', description: 'Update model prices from the providers\' pricing pages' },
  async run() {
    return { result: await updateRegistry() }
  },
})
