// What POST /v1/responses does before dispatching, in the foreground or the background: the
// response it continues or the conversation it names looked up (another key's is unknown), the
// history rebuilt from the store where the provider cannot look it up (always for a gateway
// conversation, which OpenAI does not know), and the upstream request of each target: one that
// generates, or (POST /v1/responses/input_tokens) one that counts the input tokens, fitted to the
// target's capabilities (gateway/fit-target.ts), with what was left out noted as warnings.
import { badRequest, GatewayError } from '../core/errors'
import type { ChatCompletionRequest } from '../dialects/openai'
import type { ResponsesRequest } from '../dialects/openai-responses'
import type { AuthenticatedContext } from '../gateway/context'
import type { BuildRequest, Demand } from '../gateway/dispatch'
import { fitChatRequest, fitIncludes } from '../gateway/fit-target'
import { type ResolvedModel, resolveTargets } from '../gateway/resolve'
import { conversationIdOf, conversationItems, inputItems, type Item } from '../inbound/openai-responses/items'
import { nativeInputTokensRequest, nativeResponsesRequest } from '../inbound/openai-responses/native'
import { responsesToChatRequest } from '../inbound/openai-responses/to-chat'
import { openaiServedTier } from '../providers/openai/usage'
import type { RawRequestText } from '../providers/types'
import { type Conversation, itemsOfConversation } from '../store/conversations'
import { findItems, loadResponse, responseChain } from '../store/responses'
import { ownConversation } from './conversations'

/** OpenAI connections get the Responses API natively; every other type is translated through chat. */
export const isNative = (c: ResolvedModel) => c.adapter.type === 'openai'

/**
 * The input with each `item_reference` to an item the gateway keeps (of a response of this key)
 * replaced by that item, as OpenAI reads references, so that providers without references get
 * the item and later turns rebuild it. References to other items stay, for OpenAI to look up.
 */
async function withReferencedItems(keyId: string, input: Item[]): Promise<Item[]> {
  const ids = input.filter(i => i.type === 'item_reference').map(i => String(i.id))
  if (!ids.length) return input
  const found = await findItems(keyId, ids)
  return input.map(i => (i.type === 'item_reference' ? found.get(String(i.id)) ?? i : i))
}

/** A create request made ready to dispatch: its own input items, its targets, and the upstream request of each. */
export interface PreparedCall {
  input: Item[]
  /** The conversation the request names: its input and output are added to it with the response. */
  conversation?: Conversation
  candidates: ResolvedModel[]
  demand: Demand
  build: BuildRequest
  /** What the target last built for could not take (the answering target's, after dispatch). */
  warnings: string[]
}

/**
 * Looks up the response the request continues (400 previous_response_not_found when the key has
 * none of that id) and readies the call. `raw` is the client's JSON text, sent as is to OpenAI
 * when nothing in it changes.
 */
export async function prepareCall(ctx: AuthenticatedContext, req: ResponsesRequest, raw: RawRequestText, size: number, purpose: 'generate' | 'count' = 'generate'): Promise<PreparedCall> {
  const keyId = ctx.key.id
  const conversationId = conversationIdOf(req)
  if (req.previous_response_id && conversationId) {
    throw new GatewayError(400, 'Mutually exclusive parameters. Ensure you are only providing one of: \'previous_response_id\' or \'conversation\'.', 'invalid_request_error', 'mutually_exclusive_parameters')
  }
  const previous = req.previous_response_id ? await loadResponse(keyId, req.previous_response_id) : undefined
  if (req.previous_response_id && !previous) {
    throw new GatewayError(400, `Previous response with id '${req.previous_response_id}' not found.`, 'invalid_request_error', 'previous_response_not_found', 'previous_response_id')
  }
  const conversation = conversationId ? await ownConversation(keyId, conversationId) : undefined
  const history = previous
    ? conversationItems(await responseChain(keyId, previous))
    : conversation ? await itemsOfConversation(conversation.id) : []
  const historyChars = history.length ? JSON.stringify(history).length : 0
  const input = await withReferencedItems(keyId, inputItems(req.input))
  // OpenAI looks the previous response up itself when the connection called holds it; otherwise it is sent the history.
  const historyFor = (c: ResolvedModel) => (conversation || (previous && !(previous.upstreamStored && previous.provider === c.target.provider)) ? history : undefined)
  let chatRequest: ChatCompletionRequest | undefined
  ctx.promptText = () => JSON.stringify([req.instructions ?? '', history, input])
  const warnings: string[] = []
  const chat = (c: ResolvedModel) => fitChatRequest(chatRequest ??= responsesToChatRequest(req, [...history, ...input]), c.target.entry, warnings)
  const include = (c: ResolvedModel) => {
    warnings.length = 0
    return fitIncludes(req.include, c.target.entry, warnings)
  }
  const build: BuildRequest = purpose === 'count'
    ? (c) => {
        const fitted = include(c)
        if (isNative(c)) return nativeInputTokensRequest(req, c.target, { include: fitted, raw, history: historyFor(c) })
        if (!c.adapter.countTokens) throw badRequest(`Counting input tokens is not supported for ${c.target.provider} models.`, 'model', 'unsupported_model')
        return c.adapter.countTokens.request(chat(c), c.target)
      }
    : (c, maxOutputTokens) => {
        const fitted = include(c)
        return isNative(c)
          ? nativeResponsesRequest(req, c.target, { maxOutputTokens, include: fitted, raw, history: historyFor(c) })
          : c.adapter.chat.request(chat(c), c.target, { stream: req.stream === true, maxOutputTokens })
      }
  return {
    input,
    conversation,
    candidates: resolveTargets(req.model, ctx.key, 'chat'),
    demand: { promptChars: size + historyChars, maxOutputTokens: req.max_output_tokens, serviceTier: openaiServedTier(req.service_tier) },
    build,
    warnings,
  }
}
