// Reads a JSON request body once, refusing it past MAX_BODY_BYTES (413) and when it is not JSON (400).
import type { H3Event } from 'h3'
import type { z } from 'zod'
import { config } from '../core/config'
import { GatewayError, fromZodError } from './errors'

const tooLarge = (max: number) => new GatewayError(413, `Request body is larger than the gateway allows (${max} bytes).`, 'invalid_request_error', 'request_too_large')

async function readRaw(event: H3Event, max: number): Promise<string> {
  const req = event.node.req
  const declared = Number(req.headers['content-length'])
  if (declared > max) {
    req.resume()
    throw tooLarge(max)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > max) {
      req.resume()
      throw tooLarge(max)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks, size).toString('utf8')
}

/** The validated body, its JSON text and its size (the cheap basis of a prompt-size estimate). */
export async function readJsonBody<T extends z.ZodType>(event: H3Event, schema: T): Promise<{ body: z.infer<T>, text: string, size: number }> {
  const text = await readRaw(event, config().maxBodyBytes)
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
