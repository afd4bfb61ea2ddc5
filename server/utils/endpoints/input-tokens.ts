// POST /v1/responses/input_tokens: how many input tokens a Responses API request would take, counted
// by its model's provider without generating: OpenAI's own endpoint for OpenAI models (the body as
// the client sent it), Anthropic's count_tokens for Claude and Gemini's countTokens for Gemini (the
// request translated as it would be to generate). previous_response_id counts the conversation it
// continues. Logged like every /v1 call, at no cost: providers do not bill counting.
import type { H3Event } from 'h3'
import { ResponsesRequest } from '../dialects/openai-responses'
import { readJsonBody } from '../gateway/body'
import { ClientClose } from '../gateway/client-close'
import type { AuthenticatedContext } from '../gateway/context'
import { dispatchToTarget } from '../gateway/dispatch'
import { runGatewayRequest, sendCompletion, upstreamAnswer } from '../gateway/request'
import { ZERO_USAGE } from '../registry/cost'
import { isNative, prepareCall } from './response-call'

async function inputTokens(event: H3Event, ctx: AuthenticatedContext): Promise<void> {
  const { body: req, text: raw, size } = await readJsonBody(event, ResponsesRequest, 'v1')
  const call = await prepareCall(ctx, req, raw, size, 'count')
  const dispatched = await dispatchToTarget(ctx, call.candidates, call.demand, call.build, new ClientClose(event.node.res))
  const text = await upstreamAnswer(ctx, dispatched.upstream)
  const count = isNative(dispatched) ? JSON.parse(text).input_tokens : dispatched.adapter.countTokens!.response(text)
  await sendCompletion(event, ctx, JSON.stringify({ object: 'response.input_tokens', input_tokens: count }), ZERO_USAGE)
}

export const handleInputTokens = (event: H3Event): Promise<void> => runGatewayRequest(event, 'responses', inputTokens)
