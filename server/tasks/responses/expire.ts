// Nitro task responses:expire: deletes the stored responses (Responses API) older than
// RESPONSES_TTL_DAYS; with 0 it keeps them all.
import { defineTask } from 'nitropack/runtime'
import { config } from '../../utils/core/config'
import { deleteResponsesCreatedBefore } from '../../utils/store/responses'

const DAY_MS = 86_400_000

export default defineTask({
  meta: { name: 'responses:expire', description: 'Delete stored responses older than RESPONSES_TTL_DAYS' },
  async run() {
    const days = config().responsesTtlDays
    const deleted = days > 0 ? await deleteResponsesCreatedBefore(Date.now() - days * DAY_MS) : 0
    return { result: { deleted } }
  },
})
