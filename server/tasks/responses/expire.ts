// Nitro task responses:expire: deletes the stored responses (Responses API) older than
// RESPONSES_TTL_DAYS, and the conversations no item was added to for as long; with 0 it keeps them all.
import { defineTask } from 'nitropack/runtime'
import { config } from '../../utils/core/config'
import { deleteConversationsIdleSince } from '../../utils/store/conversations'
import { deleteResponsesCreatedBefore } from '../../utils/store/responses'

const DAY_MS = 86_400_000

export default defineTask({
  meta: { name: 'responses:expire', description: 'Delete stored responses and idle conversations older than RESPONSES_TTL_DAYS' },
  async run() {
    const days = config().responsesTtlDays
    if (days <= 0) return { result: { deleted: 0, conversations: 0 } }
    const cutoff = Date.now() - days * DAY_MS
    const deleted = await deleteResponsesCreatedBefore(cutoff)
    return { result: { deleted, conversations: await deleteConversationsIdleSince(cutoff) } }
  },
})
