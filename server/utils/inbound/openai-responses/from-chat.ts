// The gateway's OpenAI chat answer → a Responses API object, for models that are not OpenAI's: the
// response's fields echo the request as OpenAI echoes them; the text becomes a message item, each
// tool call a function_call item whose call_id is the call's id (so its output pairs with it), and
// the reasoning (thinking text, signed thinking blocks) a reasoning item before them (./reasoning.ts).
import type { ResponsesRequest } from '../../dialects/openai-responses'
import { fromOpenAIUsage, toResponsesUsage } from '../../providers/openai/usage'
import type { TokenUsage } from '../../registry/cost'
import { conversationIdOf, type Item, itemId } from './items'
import { callName, type CallName, namespacedNames } from './namespaces'
import { reasoningItem, summaryWanted } from './reasoning'

/** What a translated response is known by before its output: its id, creation time and the request. */
export interface ResponseShell {
  id: string
  createdAt: number
  req: ResponsesRequest
}

export type ResponseStatus = 'queued' | 'in_progress' | 'completed' | 'incomplete' | 'failed' | 'cancelled'

/** The response object in a given state; `usage` once known. */
export function responseObject(shell: ResponseShell, status: ResponseStatus, output: Item[], usage?: TokenUsage, extra: Record<string, unknown> = {}) {
  const { req } = shell
  const conversation = conversationIdOf(req)
  return {
    id: shell.id,
    object: 'response',
    created_at: shell.createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    metadata: req.metadata ?? {},
    model: req.model,
    output,
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: req.previous_response_id ?? null,
    prompt_cache_key: req.prompt_cache_key ?? null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    safety_identifier: req.safety_identifier ?? null,
    service_tier: 'default',
    store: req.store ?? true,
    temperature: req.temperature ?? 1,
    text: { format: req.text?.format ?? { type: 'text' } },
    tool_choice: req.tool_choice ?? 'auto',
    tools: req.tools ?? [],
    top_p: req.top_p ?? 1,
    truncation: req.truncation ?? 'disabled',
    usage: usage ? toResponsesUsage(usage) : null,
    user: req.user ?? null,
    ...(conversation ? { conversation: { id: conversation } } : {}),
    ...extra,
  }
}

/** A finish reason that ended the answer early: the response is incomplete, and why. */
const INCOMPLETE: Record<string, string> = { length: 'max_output_tokens', content_filter: 'content_filter' }

export function endState(finishReason: string | null | undefined): { status: ResponseStatus, extra: Record<string, unknown> } {
  const reason = INCOMPLETE[finishReason ?? '']
  return reason ? { status: 'incomplete', extra: { incomplete_details: { reason } } } : { status: 'completed', extra: {} }
}

export const messageItem = (id: string, text: string, status = 'completed'): Item =>
  ({ id, type: 'message', status, role: 'assistant', content: [outputText(text)] })

export const outputText = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] })

/** A function_call item; a function of a namespace tool carries its `namespace` as OpenAI's items do. */
export const functionCallItem = (id: string, callId: string, { name, namespace }: CallName, args: string, status = 'completed'): Item =>
  ({ id, type: 'function_call', status, call_id: callId, name, ...(namespace ? { namespace } : {}), arguments: args })

interface ToolCall { id: string, function: { name: string, arguments: string } }

/** A chat completion (JSON text) → the response object and its usage. */
export function chatCompletionToResponse(completionJson: string, shell: ResponseShell) {
  const completion = JSON.parse(completionJson)
  const choice = completion.choices?.[0] ?? {}
  const message = choice.message ?? {}
  const output: Item[] = []
  const summary: string = summaryWanted(shell.req) ? message.reasoning_content ?? '' : ''
  if (summary || message.thinking_blocks?.length) output.push(reasoningItem(itemId('rs'), summary, message.thinking_blocks ?? []))
  const text: string = message.content || message.refusal || ''
  if (text) output.push(messageItem(itemId('msg'), text))
  const names = namespacedNames(shell.req.tools)
  for (const call of (message.tool_calls ?? []) as ToolCall[]) {
    output.push(functionCallItem(itemId('fc'), call.id, callName(call.function.name, names), call.function.arguments))
  }
  const usage = fromOpenAIUsage(completion.usage)
  const { status, extra } = endState(choice.finish_reason)
  return { response: responseObject(shell, status, output, usage, extra), usage }
}
