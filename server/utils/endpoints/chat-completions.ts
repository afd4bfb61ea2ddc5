// POST /v1/chat/completions: OpenAI's chat API for every provider, streamed and not. The request is
// resolved to its targets and dispatched; the chosen provider's adapter builds the upstream call and
// translates its answer or stream back to OpenAI's shape.
import type { H3Event } from 'h3'
import { ChatCompletionRequest } from '../dialects/openai'
import { readJsonBody } from '../gateway/body'
import { ClientClose } from '../gateway/client-close'
import type { AuthenticatedContext } from '../gateway/context'
import { dispatchToTarget } from '../gateway/dispatch'
import { fitChatRequest, sendWarnings } from '../gateway/fit-target'
import { pipeStream } from '../gateway/pipe-stream'
import { reportedUsage, runGatewayRequest, sendCompletion, upstreamAnswer } from '../gateway/request'
import { resolveTargets } from '../gateway/resolve'
import { openaiChunks } from '../gateway/stream-output'
import { openaiServedTier } from '../providers/openai/usage'

async function chatCompletions(event: H3Event, ctx: AuthenticatedContext): Promise<void> {
  const { body: req, text: raw, size } = await readJsonBody(event, ChatCompletionRequest, 'v1')
  ctx.stream = req.stream === true
  ctx.promptText = () => JSON.stringify(req.messages)
  // What a translated target could not take (OpenAI models get the request as sent).
  let warnings: string[] = []
  const { adapter, target, upstream } = await dispatchToTarget(
    ctx,
    resolveTargets(req.model, ctx.key, 'chat'),
    { promptChars: size, maxOutputTokens: req.max_completion_tokens ?? req.max_tokens, choices: req.n ?? 1, serviceTier: openaiServedTier(req.service_tier) },
    (c, maxOutputTokens) => {
      warnings = []
      const fitted = c.adapter.type === 'openai' ? req : fitChatRequest(req, c.target.entry, warnings)
      return c.adapter.chat.request(fitted, c.target, { stream: ctx.stream, maxOutputTokens, raw })
    },
    new ClientClose(event.node.res),
  )
  sendWarnings(event, warnings)
  if (!ctx.stream) {
    const result = adapter.chat.response(await upstreamAnswer(ctx, upstream), target)
    await sendCompletion(event, ctx, result.body, reportedUsage(result))
    return
  }
  const translator = adapter.chat.stream(target, {
    includeUsage: req.stream_options?.include_usage === true,
    id: `chatcmpl-${ctx.id}`,
    created: Math.floor(ctx.startedAt / 1000),
  })
  await pipeStream(event, ctx, upstream, openaiChunks(translator))
}

export const handleChatCompletions = (event: H3Event): Promise<void> => runGatewayRequest(event, 'chat', chatCompletions)
