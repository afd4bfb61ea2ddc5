// Reading one OpenAI chat.completion.chunk's first choice, for the writers that retell a chat stream
// in another dialect (Anthropic events, Responses events): its text, its tool call fragments and
// its finish reason, in that order, each handed to the writer, whose outputs are joined.
export interface ToolCallDelta { index?: number, id?: string, function?: { name?: string, arguments?: string } }

export interface ChunkVisitor {
  text(t: string): string
  toolCall(call: ToolCallDelta): string
  finish(reason: string): string
}

export function visitChoice(chunk: { choices?: any[] }, v: ChunkVisitor): string {
  const choice = chunk.choices?.[0]
  if (!choice) return ''
  const delta = choice.delta ?? {}
  let out = ''
  if (typeof delta.content === 'string' && delta.content) out += v.text(delta.content)
  for (const call of (delta.tool_calls ?? []) as ToolCallDelta[]) out += v.toolCall(call)
  if (choice.finish_reason) out += v.finish(choice.finish_reason)
  return out
}
