// Schemas of OpenAI's Conversations API request bodies (/v1/conversations): a conversation holds
// Responses API items, added at its creation, by POST …/items, or by a response naming it.
import { z } from 'zod'
import { InputItem, Metadata } from './openai-responses'

/** Items added in one request: OpenAI takes at most 20. */
const Items = z.array(InputItem).max(20)

export const ConversationCreateRequest = z.looseObject({
  items: Items.nullish(),
  metadata: Metadata.nullish(),
})

export const ConversationUpdateRequest = z.looseObject({
  metadata: Metadata.nullable(),
})

export const ConversationItemsCreateRequest = z.looseObject({
  items: Items.min(1),
})

/** `GET /v1/conversations/{id}/items/{item_id}` and `POST …/items` query. */
export const ConversationItemQuery = z.object({
  include: z.union([z.string(), z.array(z.string())]).optional(),
})
