// OpenAI's Conversations API on the gateway's own store: /v1/conversations (create, retrieve, update
// its metadata, delete) and its items (list, add, retrieve, delete). Responses add to a conversation
// through POST /v1/responses `conversation` (./responses.ts). A key sees only its own conversations:
// another key's id is answered as an unknown one (404). Rate-limited and logged as endpoint
// `conversations` (./stored-state.ts).
import { getQuery, type H3Event } from 'h3'
import { GatewayError } from '../core/errors'
import { ConversationCreateRequest, ConversationItemQuery, ConversationItemsCreateRequest, ConversationUpdateRequest } from '../dialects/openai-conversations'
import { InputItemsQuery } from '../dialects/openai-responses'
import { readJsonBody } from '../gateway/body'
import { conversationEntry, inputItems, itemId, listPage } from '../inbound/openai-responses/items'
import {
  appendWrite, type Conversation, conversationWrite, deleteConversation, deleteConversationItem, itemOfConversation,
  itemsOfConversation, loadConversation, updateConversationMetadata,
} from '../store/conversations'
import { commit } from '../store/write'
import { runStateRequest, type StateAnswer } from './stored-state'

export const conversationNotFound = (id: string) => new GatewayError(404, `Conversation with id '${id}' not found.`, 'invalid_request_error')
const itemNotFound = (id: string, conversationId: string) => new GatewayError(404, `Item with id '${id}' not found in conversation '${conversationId}'.`, 'invalid_request_error')

/** The conversation object as OpenAI answers it. */
const conversationObject = (c: Conversation) => ({ id: c.id, object: 'conversation', created_at: Math.floor(c.createdAt / 1000), metadata: c.metadata })

/** The key's conversation, or the 404 an unknown id gets. */
export async function ownConversation(keyId: string, id: string): Promise<Conversation> {
  const found = await loadConversation(keyId, id)
  if (!found) throw conversationNotFound(id)
  return found
}

/** A list of items as a conversation keeps them, each with an id. */
export const conversationEntries = (items: Parameters<typeof inputItems>[0]) => inputItems(items).map(conversationEntry)

const answer = (event: H3Event, pick: (keyId: string) => Promise<StateAnswer>) => runStateRequest(event, 'conversations', ctx => pick(ctx.key.id))

/** The list of just-added items, as OpenAI answers POST …/items. */
const addedList = (data: ReturnType<typeof conversationEntries>) => ({ object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false })

export const handleCreateConversation = (event: H3Event) => answer(event, async (keyId) => {
  const { body } = await readJsonBody(event, ConversationCreateRequest, 'v1')
  const conversation: Conversation = { id: itemId('conv'), keyId, createdAt: Date.now(), metadata: body.metadata ?? {} }
  const items = conversationEntries(body.items ?? [])
  await commit(conversationWrite(conversation), ...(items.length ? [appendWrite(keyId, conversation.id, items, conversation.createdAt)] : []))
  return { json: conversationObject(conversation) }
})

export const handleGetConversation = (event: H3Event, id: string) => answer(event, async keyId => ({ json: conversationObject(await ownConversation(keyId, id)) }))

export const handleUpdateConversation = (event: H3Event, id: string) => answer(event, async (keyId) => {
  const { body } = await readJsonBody(event, ConversationUpdateRequest, 'v1')
  const metadata = body.metadata ?? {}
  if (!await updateConversationMetadata(keyId, id, metadata)) throw conversationNotFound(id)
  return { json: conversationObject({ ...await ownConversation(keyId, id), metadata }) }
})

export const handleDeleteConversation = (event: H3Event, id: string) => answer(event, async (keyId) => {
  if (!await deleteConversation(keyId, id)) throw conversationNotFound(id)
  return { json: { id, object: 'conversation.deleted', deleted: true } }
})

/** Newest first unless `order=asc`, a page of `limit` after the item `after`. */
export const handleListConversationItems = (event: H3Event, id: string) => answer(event, async (keyId) => {
  const query = InputItemsQuery.parse(getQuery(event))
  await ownConversation(keyId, id)
  return { json: listPage(await itemsOfConversation(id), query) }
})

/** Adds up to 20 items at the end of the conversation; answers the items added. */
export const handleAddConversationItems = (event: H3Event, id: string) => answer(event, async (keyId) => {
  ConversationItemQuery.parse(getQuery(event))
  const { body } = await readJsonBody(event, ConversationItemsCreateRequest, 'v1')
  await ownConversation(keyId, id)
  const items = conversationEntries(body.items)
  await commit(appendWrite(keyId, id, items, Date.now()))
  return { json: addedList(items) }
})

export const handleGetConversationItem = (event: H3Event, id: string, item: string) => answer(event, async (keyId) => {
  ConversationItemQuery.parse(getQuery(event))
  await ownConversation(keyId, id)
  const found = await itemOfConversation(id, item)
  if (!found) throw itemNotFound(item, id)
  return { json: found }
})

/** Removes the item; answers the conversation. */
export const handleDeleteConversationItem = (event: H3Event, id: string, item: string) => answer(event, async (keyId) => {
  const conversation = await ownConversation(keyId, id)
  if (!await deleteConversationItem(id, item)) throw itemNotFound(item, id)
  return { json: conversationObject(conversation) }
})
