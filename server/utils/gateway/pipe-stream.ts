// Piping an upstream event stream to a /v1 client in its own dialect, one write per upstream read,
// and metering it however it ends.
import { createParser } from 'eventsource-parser'
import type { H3Event } from 'h3'
import { StreamFailure } from '../providers/types'
import { ZERO_USAGE } from '../registry/cost'
import type { RequestContext } from './context'
import { streamedText } from './estimate'
import { finishEstimated, finishRequest, markFirstByte } from './meter'
import { gatewayHeaders, startEventStream, writeEvents } from './respond'
import type { StreamOutput } from './stream-output'
import { failureError, type UpstreamResponse, upstreamTransportError } from './upstream'

/**
 * Pipes an upstream event stream to the client in its dialect, one write per upstream read. Errors
 * after the first byte reach the client as an error event its SDK raises. A client that goes away
 * aborts the upstream call; the request is still metered, from usage seen or by counting.
 */
export async function pipeStream(event: H3Event, ctx: RequestContext, upstream: UpstreamResponse, output: StreamOutput): Promise<void> {
  const res = event.node.res
  let out = ''
  const sent: string[] = []
  const parser = createParser({
    onEvent: (e) => { out += output.event({ event: e.event, data: e.data }) },
  })
  startEventStream(res, gatewayHeaders(ctx))
  let status = 200
  let errorCode: string | null = null
  try {
    const decoder = new TextDecoder()
    for await (const chunk of upstream) {
      parser.feed(decoder.decode(chunk as Buffer, { stream: true }))
      if (out) {
        markFirstByte(ctx)
        sent.push(out)
        const text = out
        out = ''
        await writeEvents(res, text)
      }
    }
    const last = out + await output.end()
    await writeEvents(res, last)
    const failure = output.failure?.()
    if (failure) {
      status = failure.status
      errorCode = failure.code
    }
  }
  catch (error) {
    const err = error instanceof StreamFailure ? failureError(error.failure) : upstreamTransportError(error)
    status = err.status
    errorCode = err.code
    if (!res.destroyed) await writeEvents(res, out + output.error(err))
  }
  finally {
    if (!res.writableEnded) res.end()
  }
  const usage = output.usage()
  // A finished stream without usage came from a server that sends none (some compatible ones): counted.
  if (status === 499 || (status === 200 && !usage)) await finishEstimated(ctx, status, errorCode, usage, streamedText(sent.join('')))
  else finishRequest(ctx, status, usage ?? ZERO_USAGE, { errorCode })
}
