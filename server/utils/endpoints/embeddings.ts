// POST /v1/embeddings: OpenAI's embeddings API for the providers that offer embeddings (OpenAI and
// Gemini); `encoding_format: base64` is honoured by the adapters.
import type { H3Event } from 'h3'
import { GatewayError } from '../core/errors'
import { EmbeddingsRequest } from '../dialects/openai'
import { readJsonBody } from '../gateway/body'
import { ClientClose } from '../gateway/client-close'
import type { AuthenticatedContext } from '../gateway/context'
import { dispatchToTarget } from '../gateway/dispatch'
import { reportedUsage, runGatewayRequest, sendCompletion, upstreamAnswer } from '../gateway/request'
import { resolveTargets } from '../gateway/resolve'

async function embeddings(event: H3Event, ctx: AuthenticatedContext): Promise<void> {
  const { body: req, text: raw, size } = await readJsonBody(event, EmbeddingsRequest, 'v1')
  ctx.promptText = () => (typeof req.input === 'string' ? req.input : JSON.stringify(req.input))
  const candidates = resolveTargets(req.model, ctx.key, 'embedding')
  const unsupported = candidates.find(c => !c.adapter.embeddings)
  if (unsupported) {
    throw new GatewayError(400, `The provider of '${unsupported.target.model}' offers no embeddings through this gateway.`, 'invalid_request_error', 'model_not_supported', 'model')
  }
  const { adapter, target, upstream } = await dispatchToTarget(
    ctx,
    candidates,
    { promptChars: size },
    c => c.adapter.embeddings!.request(req, c.target, raw),
    new ClientClose(event.node.res),
  )
  const result = adapter.embeddings!.response(await upstreamAnswer(ctx, upstream), target, req)
  await sendCompletion(event, ctx, result.body, reportedUsage(result))
}

export const handleEmbeddings = (event: H3Event): Promise<void> => runGatewayRequest(event, 'embeddings', embeddings)
