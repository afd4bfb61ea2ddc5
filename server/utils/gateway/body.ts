// The one reader of JSON request bodies, for every route that takes one: /v1, the admin API and the
// dashboard's sign-in. Each route family has a size cap, enforced from content-length and while the
// body streams in; each chunk is scanned as it arrives (json-scan.ts), so over-deep or over-wide
// JSON is refused before JSON.parse and the schema could stall the event loop; a body that stops
// arriving is cut after REQUEST_BODY_TIMEOUT_MS. A refused body is not kept: the answer leaves at
// once, and the connection is cut soon after unless the client has finished sending by then.
import type { H3Event } from 'h3'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { config } from '../core/config'
import { clientClosedError } from './client-close'
import { GatewayError, badRequest, fromZodError } from '../core/errors'
import { type JsonLimits, JsonScanner, type JsonScanVerdict } from './json-scan'

export type BodyFamily = 'v1' | 'admin' | 'auth'

interface BodyLimits extends JsonLimits {
  maxBytes: number
}

const KiB = 1024

// How long the rest of a refused body is read and thrown away before the connection is cut: a
// client still sending must get to read the answer first (cut at once, the reset can destroy it
// unread), but a refused body must not keep the connection busy.
const LINGER_MS = 2000

// Admin bodies are a key's limits and model allow-list, a route's targets, a price with its tiers:
// a few KiB at most. Sign-in bodies are an email and a password.
const FIXED_MAX_BYTES = { admin: 1024 * KiB, auth: 8 * KiB }

let familyLimits: Record<BodyFamily, BodyLimits> | undefined

function limitsOf(family: BodyFamily): BodyLimits {
  if (!familyLimits) {
    const c = config()
    const json = { maxDepth: c.maxJsonDepth, maxValues: c.maxJsonValues }
    familyLimits = {
      v1: { ...json, maxBytes: c.maxBodyBytes },
      admin: { ...json, maxBytes: FIXED_MAX_BYTES.admin },
      auth: { ...json, maxBytes: FIXED_MAX_BYTES.auth },
    }
  }
  return familyLimits[family]
}

const tooLarge = (max: number) => new GatewayError(413, `Request body is larger than the gateway allows (${max} bytes).`, 'invalid_request_error', 'request_too_large')

function refusedShape(verdict: JsonScanVerdict, limits: JsonLimits): GatewayError {
  return verdict === 'too_deep'
    ? badRequest(`The JSON body nests deeper than the gateway allows (${limits.maxDepth} levels).`, null, 'json_too_deep')
    : badRequest(`The JSON body has more values than the gateway allows (${limits.maxValues} array items and object members).`, null, 'json_too_complex')
}

const stalled = (ms: number) => new GatewayError(408, `The request body stopped arriving for ${ms} ms.`, 'timeout_error', 'request_timeout')

/** Stops keeping the body: what still arrives is thrown away, for LINGER_MS at most. */
function discardRest(req: IncomingMessage, error: GatewayError): GatewayError {
  req.resume()
  if (!req.complete) {
    setTimeout(() => {
      if (!req.complete) req.socket.destroy()
    }, LINGER_MS).unref()
  }
  return error
}

/** The body's bytes. Read with listeners (not `for await`): the async iterator costs more per request. */
function readRaw(req: IncomingMessage, res: ServerResponse, limits: BodyLimits): Promise<Buffer> {
  if (Number(req.headers['content-length']) > limits.maxBytes) return Promise.reject(discardRest(req, tooLarge(limits.maxBytes)))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const scanner = new JsonScanner(limits)
    let size = 0
    // A body that came with its headers is complete already: no timer for it.
    const idleMs = config().requestBodyTimeoutMs
    const idle = idleMs > 0 && !req.complete
      ? setTimeout(() => {
          // The client stopped sending: nothing to wait for, the connection closes after the answer.
          res.setHeader('connection', 'close')
          fail(stalled(idleMs))
        }, idleMs)
      : undefined
    const done = () => {
      clearTimeout(idle)
      req.off('data', onData).off('end', onEnd).off('error', onClose).off('close', onClose)
    }
    const fail = (error: GatewayError) => {
      done()
      reject(discardRest(req, error))
    }
    const onData = (chunk: Buffer) => {
      idle?.refresh()
      size += chunk.length
      if (size > limits.maxBytes) return fail(tooLarge(limits.maxBytes))
      const verdict = scanner.feed(chunk)
      if (verdict) return fail(refusedShape(verdict, limits))
      chunks.push(chunk)
    }
    const onEnd = () => {
      done()
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size))
    }
    // The connection failed or closed before the end of the body: the client is gone.
    const onClose = () => {
      done()
      reject(clientClosedError())
    }
    req.on('data', onData).on('end', onEnd).on('error', onClose).on('close', onClose)
  })
}

/** The validated body, its JSON text and its size (the cheap basis of a prompt-size estimate). */
export async function readJsonBody<T extends z.ZodType>(event: H3Event, schema: T, family: BodyFamily): Promise<{ body: z.infer<T>, text: string, size: number }> {
  const text = (await readRaw(event.node.req, event.node.res, limitsOf(family))).toString('utf8')
  let json: unknown
  try {
    json = JSON.parse(text)
  }
  catch {
    throw badRequest('We could not parse the JSON body of your request. Send a valid JSON object.', null, 'invalid_json')
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw badRequest('The request body must be a JSON object.', null, 'invalid_json')
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw fromZodError(parsed.error)
  return { body: parsed.data, text, size: text.length }
}
