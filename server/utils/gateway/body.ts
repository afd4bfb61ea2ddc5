// Reads a JSON request body once, refusing it past MAX_BODY_BYTES (413) and when it is not JSON (400).
import type { H3Event } from 'h3'
import type { IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { config } from '../core/config'
import { clientClosedError } from './client-close'
import { GatewayError, fromZodError } from './errors'

const tooLarge = (max: number) => new GatewayError(413, `Request body is larger than the gateway allows (${max} bytes).`, 'invalid_request_error', 'request_too_large')

/** The body as text. Read with listeners (not `for await`): the async iterator costs more per request. */
function readRaw(req: IncomingMessage, max: number): Promise<string> {
  if (Number(req.headers['content-length']) > max) {
    req.resume()
    return Promise.reject(tooLarge(max))
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onError)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= max) return void chunks.push(chunk)
      done()
      req.resume()
      reject(tooLarge(max))
    }
    const onEnd = () => {
      done()
      resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).toString('utf8'))
    }
    // The connection failed or closed before the end of the body: the client is gone.
    const onError = () => {
      done()
      reject(clientClosedError())
    }
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onError)
  })
}

/** The validated body, its JSON text and its size (the cheap basis of a prompt-size estimate). */
export async function readJsonBody<T extends z.ZodType>(event: H3Event, schema: T): Promise<{ body: z.infer<T>, text: string, size: number }> {
  const text = await readRaw(event.node.req, config().maxBodyBytes)
  let json: unknown
  try {
    json = JSON.parse(text)
  }
  catch {
    throw new GatewayError(400, 'We could not parse the JSON body of your request. Send a valid JSON object.', 'invalid_request_error', 'invalid_json')
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new GatewayError(400, 'The request body must be a JSON object.', 'invalid_request_error', 'invalid_json')
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw fromZodError(parsed.error)
  return { body: parsed.data, text, size: text.length }
}
