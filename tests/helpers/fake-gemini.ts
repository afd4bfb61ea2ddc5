// A strict fake of the Gemini API (v1beta) on a loopback port. It refuses what the real API refuses
// (a missing or wrong x-goog-api-key, roles other than user/model, unknown fields, turns that do not
// alternate, function results without a name, Gemini 3 function-call turns without their thought
// signature, maxOutputTokens above the model's outputTokenLimit, Google Search beside function
// declarations before Gemini 3), answers generateContent, streamGenerateContent?alt=sse (CRLF-framed,
// no [DONE]), embedContent and batchEmbedContents with deterministic content and usage, countTokens
// (the prompt tokens generateContent would report), and records every request.
//
// Replies: the last user text reversed word by word (as the OpenAI fake); a function call to the first
// declared function with {city:'Paris'} when tools are given and the user mentions "weather"; the
// function result echoed when the last turn carries one; a JSON object with every required key set
// to "x" when JSON output is asked for. The model thinks when the prompt holds "[think]" or the
// request sets a thinkingConfig that does not turn thinking off: 7 thinking tokens, a signature-only
// closing part, and with includeThoughts a thought summary part first (its own stream event).
// thinkingConfig is checked per model family as the real API checks it (thinkingLevel on Gemini 3
// only, within its levels; thinkingBudget within the 2.5 model's range; not both). Markers in the
// last user text: "[cached]" reports half the prompt as cached, "[blocked]"
// blocks the prompt, "[fail-503]" answers 503 UNAVAILABLE, "[fail-midstream]" sends one stream event
// then an in-stream error. Audio parts (inlineData audio/*) count as AUDIO prompt tokens, reported by
// modality in promptTokensDetails as the real API does: 32 tokens a second, a second taken as 16 000
// bytes (16 kHz 8-bit mono), so ceil(bytes / 500) tokens a part.
import { createHash } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import { fakeReply, fakeVector, type RecordedRequest } from './fake-openai'
import { listenOnLoopback } from './net'

export interface GeminiRecordedRequest extends RecordedRequest {
  /** The query string, `?` included ('' when none). */
  search: string
}

export interface FakeGemini {
  /** Base URL, without /v1beta. */
  url: string
  apiKey: string
  requests: GeminiRecordedRequest[]
  close: () => Promise<void>
}

class ApiError extends Error {
  constructor(readonly code: number, readonly status: string, message: string, readonly details?: unknown[]) {
    super(message)
  }
}

const invalid = (message: string) => new ApiError(400, 'INVALID_ARGUMENT', message)
const unknownField = (name: string, at?: string) =>
  invalid(`Invalid JSON payload received. Unknown name "${name}"${at ? ` at '${at}'` : ''}: Cannot find field.`)

const BAD_KEY = 'API key not valid. Please pass a valid API key.'
const SKIP_SIGNATURE = 'skip_thought_signature_validator'
const DATA_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse'] as const
const PART_KEYS = new Set([...DATA_FIELDS, 'thought', 'thoughtSignature'])
const REQUEST_KEYS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'safetySettings', 'cachedContent'])
const GENERATION_KEYS = new Set(['stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount',
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs', 'logprobs', 'thinkingConfig'])
const NUMERIC_GENERATION_KEYS = ['candidateCount', 'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty']
const DECLARATION_KEYS = new Set(['name', 'description', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema'])
/** Keys of Gemini's OpenAPI-subset Schema (the `parameters`/`responseSchema` fields). */
const OPENAPI_SCHEMA_KEYS = new Set(['type', 'format', 'title', 'description', 'nullable', 'enum', 'maxItems', 'minItems', 'properties', 'required',
  'minProperties', 'maxProperties', 'minLength', 'maxLength', 'pattern', 'example', 'anyOf', 'propertyOrdering', 'default', 'items', 'minimum', 'maximum'])
const FUNCTION_NAME = /^[A-Za-z_][\w.:-]{0,63}$/
/** outputTokenLimit as models.list reports it (the fake's own table, not the gateway's registry). */
const OUTPUT_TOKEN_LIMITS: Record<string, number> = {
  'gemini-2.5-flash': 65_536, 'gemini-2.5-pro': 65_536, 'gemini-2.5-flash-lite': 65_536, 'gemini-3-flash-preview': 65_536, 'gemini-3.5-flash': 65_536,
}
/** A Tool holds one kind each: function declarations or a built-in tool. */
const TOOL_KINDS = new Set(['functionDeclarations', 'googleSearch', 'codeExecution', 'urlContext'])
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v)
const words = (text: string) => text.split(/\s+/).filter(Boolean).length

function onlyKeys(obj: Record<string, unknown>, allowed: Set<string>, at?: string) {
  for (const k of Object.keys(obj)) if (!allowed.has(k)) throw unknownField(k, at)
}

function checkOpenApiSchema(schema: unknown, at: string) {
  if (!isObject(schema)) return
  onlyKeys(schema, OPENAPI_SCHEMA_KEYS, at)
  for (const sub of Object.values(schema.properties ?? {})) checkOpenApiSchema(sub, `${at}.properties`)
  checkOpenApiSchema(schema.items, `${at}.items`)
  for (const sub of schema.anyOf ?? []) checkOpenApiSchema(sub, `${at}.any_of`)
}

function checkPart(part: unknown, role: string, at: string) {
  if (!isObject(part)) throw invalid(`* GenerateContentRequest.${at}: must be an object`)
  onlyKeys(part, PART_KEYS, at)
  const data = DATA_FIELDS.filter(k => part[k] !== undefined)
  if (data.length !== 1) throw invalid(`* GenerateContentRequest.${at}.data: required oneof field 'data' must have one initialized field`)
  if (part.text !== undefined && (typeof part.text !== 'string' || (part.text === '' && !part.thoughtSignature))) {
    throw invalid('Unable to submit request because it has an empty text parameter. Add a value to the parameter and try again.')
  }
  if (part.thoughtSignature !== undefined && (typeof part.thoughtSignature !== 'string' || !BASE64.test(part.thoughtSignature))) {
    throw invalid(`Invalid value at '${at}.thought_signature' (TYPE_BYTES), Base64 decoding failed`)
  }
  if (part.inlineData !== undefined) {
    if (typeof part.inlineData?.mimeType !== 'string' || typeof part.inlineData?.data !== 'string') throw invalid(`* GenerateContentRequest.${at}.inline_data: mime_type and data are required`)
    if (!BASE64.test(part.inlineData.data)) throw invalid(`Invalid value at '${at}.inline_data.data' (TYPE_BYTES), Base64 decoding failed`)
  }
  if (part.fileData !== undefined && (typeof part.fileData?.fileUri !== 'string' || typeof part.fileData?.mimeType !== 'string')) {
    throw invalid(`* GenerateContentRequest.${at}.file_data: file_uri and mime_type are required`)
  }
  if (part.functionCall !== undefined) {
    if (role !== 'model') throw invalid(`* GenerateContentRequest.${at}.function_call: function calls belong to model turns`)
    if (typeof part.functionCall?.name !== 'string' || !part.functionCall.name) throw invalid(`* GenerateContentRequest.${at}.function_call.name: Name cannot be empty.`)
    if (part.functionCall.args !== undefined && !isObject(part.functionCall.args)) throw invalid(`Invalid value at '${at}.function_call.args' (type.googleapis.com/google.protobuf.Struct)`)
  }
  if (part.functionResponse !== undefined) {
    if (role !== 'user') throw invalid(`* GenerateContentRequest.${at}.function_response: function responses belong to user turns`)
    if (typeof part.functionResponse?.name !== 'string' || !part.functionResponse.name) throw invalid(`* GenerateContentRequest.${at}.function_response.name: Name cannot be empty.`)
    if (!isObject(part.functionResponse.response)) throw invalid(`Invalid value at '${at}.function_response.response' (type.googleapis.com/google.protobuf.Struct)`)
  }
}

function checkContents(contents: unknown) {
  if (!Array.isArray(contents) || contents.length === 0) throw invalid('* GenerateContentRequest.contents: contents is not specified')
  contents.forEach((c, i) => {
    if (!isObject(c)) throw invalid(`* GenerateContentRequest.contents[${i}]: must be an object`)
    onlyKeys(c, new Set(['role', 'parts']), `contents[${i}]`)
    if (c.role !== 'user' && c.role !== 'model') throw invalid('Please use a valid role: user, model.')
    if (!Array.isArray(c.parts) || c.parts.length === 0) throw invalid(`* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`)
    c.parts.forEach((p: unknown, j: number) => checkPart(p, c.role, `contents[${i}].parts[${j}]`))
  })
  if (contents[0].role !== 'user') throw invalid('Please ensure that the first turn is a user turn.')
  for (let i = 1; i < contents.length; i++) {
    if (contents[i].role === contents[i - 1].role) throw invalid('Please ensure that multiturn requests alternate between user and model.')
  }
}

/** Gemini 3: in the current turn (since the last user message with real content), each model step's first function call needs its signature. */
function checkSignatures(contents: any[], issued: Set<string>) {
  let start = 0
  contents.forEach((c, i) => {
    if (c.role === 'user' && c.parts.some((p: any) => p.functionResponse === undefined)) start = i
  })
  contents.slice(start).forEach((c, offset) => {
    const first = c.role === 'model' ? c.parts.find((p: any) => p.functionCall) : undefined
    if (!first) return
    if (!first.thoughtSignature) {
      throw invalid(`Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${first.functionCall.name}\` , position ${start + offset + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`)
    }
    if (first.thoughtSignature !== SKIP_SIGNATURE && !issued.has(first.thoughtSignature)) throw invalid('Corrupted thought signature.')
  })
}

/** Thinking budget ranges of the 2.5 models: [least, most], and whether 0 turns thinking off. */
const BUDGET_RANGES: [RegExp, number, number, boolean][] = [
  [/^gemini-2\.5-pro/, 128, 32768, false],
  [/^gemini-2\.5-flash-lite/, 512, 24576, true],
  [/^gemini-2\.5-flash/, 1, 24576, true],
]

function checkThinkingConfig(model: string, tc: unknown) {
  if (tc === undefined) return
  if (!isObject(tc)) throw invalid('Invalid value at \'generation_config.thinking_config\'')
  onlyKeys(tc, new Set(['thinkingBudget', 'thinkingLevel', 'includeThoughts']), 'generation_config.thinking_config')
  if (tc.includeThoughts !== undefined && typeof tc.includeThoughts !== 'boolean') throw invalid('Invalid value at \'generation_config.thinking_config.include_thoughts\' (TYPE_BOOL)')
  if (tc.thinkingBudget !== undefined && tc.thinkingLevel !== undefined) throw invalid('You can only set only one of thinking budget and thinking level.')
  if (tc.thinkingLevel !== undefined) {
    if (!model.startsWith('gemini-3')) throw invalid('Thinking level is not supported for this model.')
    const levels = /-pro/.test(model) ? ['low', 'high'] : ['minimal', 'low', 'medium', 'high']
    if (!levels.includes(tc.thinkingLevel)) throw invalid(`Invalid value at 'generation_config.thinking_config.thinking_level': thinking level '${tc.thinkingLevel}' is not supported by this model.`)
  }
  if (tc.thinkingBudget !== undefined) {
    if (!Number.isInteger(tc.thinkingBudget)) throw invalid('Invalid value at \'generation_config.thinking_config.thinking_budget\' (TYPE_INT32)')
    const range = BUDGET_RANGES.find(([re]) => re.test(model))
    if (!range || tc.thinkingBudget === -1) return
    const [, least, most, canDisable] = range
    if (tc.thinkingBudget === 0 && !canDisable) throw invalid('Budget 0 is invalid. This model only works in thinking mode.')
    if (tc.thinkingBudget !== 0 && (tc.thinkingBudget < least || tc.thinkingBudget > most)) throw invalid(`The thinking budget ${tc.thinkingBudget} is invalid. Please choose a value between ${least} and ${most}.`)
  }
}

/** The request makes the model think: the [think] marker, or a thinkingConfig that does not set budget 0. */
function thinks(body: any, allText: string): boolean {
  const tc = body.generationConfig?.thinkingConfig
  return allText.includes('[think]') || (isObject(tc) && (tc.thinkingLevel !== undefined || (tc.thinkingBudget !== undefined && tc.thinkingBudget !== 0)))
}

function checkGenerationConfig(config: unknown, model: string) {
  if (config === undefined) return
  if (!isObject(config)) throw invalid('Invalid value at \'generation_config\'')
  onlyKeys(config, GENERATION_KEYS, 'generation_config')
  checkThinkingConfig(model, config.thinkingConfig)
  for (const k of NUMERIC_GENERATION_KEYS) {
    if (config[k] !== undefined && typeof config[k] !== 'number') throw invalid(`Invalid value at 'generation_config.${k}' (TYPE_NUMBER)`)
  }
  if (config.stopSequences !== undefined && (!Array.isArray(config.stopSequences) || config.stopSequences.length > 5 || !config.stopSequences.every((s: unknown) => typeof s === 'string'))) {
    throw invalid('* GenerateContentRequest.generation_config.stop_sequences: at most 5 strings')
  }
  if (config.responseMimeType !== undefined && !['text/plain', 'application/json', 'text/x.enum'].includes(config.responseMimeType)) {
    throw invalid(`* GenerateContentRequest.generation_config.response_mime_type: allowed mimetypes are \`text/plain\`, \`application/json\`, \`text/x.enum\`.`)
  }
  if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) throw invalid('response_schema and response_json_schema cannot both be set.')
  if ((config.responseSchema !== undefined || config.responseJsonSchema !== undefined) && config.responseMimeType !== 'application/json') {
    throw invalid('* GenerateContentRequest.generation_config.response_mime_type: must be application/json when a response schema is set.')
  }
  checkOpenApiSchema(config.responseSchema, 'generation_config.response_schema')
}

function checkOutputLimit(model: string, config: any) {
  const limit = OUTPUT_TOKEN_LIMITS[model]
  const cap = config?.maxOutputTokens
  if (limit === undefined || typeof cap !== 'number' || cap <= limit) return
  throw invalid(`Unable to submit request because it has a maxOutputTokens value of ${cap} but the supported range is from 1 (inclusive) to ${limit + 1} (exclusive). Update the value and try again.`)
}

function checkTools(model: string, tools: unknown, toolConfig: unknown): string[] {
  if (tools === undefined) {
    if (toolConfig !== undefined) throw invalid('* GenerateContentRequest.tool_config: tools must be given with tool_config')
    return []
  }
  if (!Array.isArray(tools)) throw invalid('Invalid value at \'tools\'')
  const names: string[] = []
  tools.forEach((tool, i) => {
    if (!isObject(tool)) throw invalid(`Invalid value at 'tools[${i}]'`)
    onlyKeys(tool, TOOL_KINDS, `tools[${i}]`)
    ;(tool.functionDeclarations ?? []).forEach((d: unknown, j: number) => {
      const at = `tools[${i}].function_declarations[${j}]`
      if (!isObject(d)) throw invalid(`Invalid value at '${at}'`)
      onlyKeys(d, DECLARATION_KEYS, at)
      if (typeof d.name !== 'string' || !FUNCTION_NAME.test(d.name)) throw invalid(`* GenerateContentRequest.${at}.name: Invalid function name.`)
      if (d.parameters !== undefined && d.parametersJsonSchema !== undefined) throw invalid(`* GenerateContentRequest.${at}: parameters and parameters_json_schema cannot both be set.`)
      checkOpenApiSchema(d.parameters, `${at}.parameters`)
      names.push(d.name)
    })
  })
  const builtIn = tools.some(t => t.googleSearch || t.codeExecution || t.urlContext)
  if (builtIn && names.length && !model.startsWith('gemini-3')) throw invalid('Tool use with function calling is unsupported')
  if (toolConfig !== undefined) {
    if (!isObject(toolConfig)) throw invalid('Invalid value at \'tool_config\'')
    onlyKeys(toolConfig, new Set(['functionCallingConfig', 'includeServerSideToolInvocations']), 'tool_config')
    const fcc = toolConfig.functionCallingConfig ?? {}
    onlyKeys(fcc, new Set(['mode', 'allowedFunctionNames']), 'tool_config.function_calling_config')
    if (fcc.mode !== undefined && !['AUTO', 'ANY', 'NONE', 'VALIDATED'].includes(fcc.mode)) {
      throw invalid(`Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), "${fcc.mode}"`)
    }
    if (fcc.allowedFunctionNames !== undefined) {
      if (fcc.mode !== 'ANY' && fcc.mode !== 'VALIDATED') throw invalid('* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: only allowed when mode is ANY.')
      for (const n of fcc.allowedFunctionNames) if (!names.includes(n)) throw invalid(`* GenerateContentRequest.tool_config.function_calling_config.allowed_function_names: '${n}' is not declared.`)
    }
  }
  return names
}

function checkSystemInstruction(si: unknown) {
  if (si === undefined) return
  if (!isObject(si) || !Array.isArray(si.parts) || si.parts.length === 0) throw invalid('* GenerateContentRequest.system_instruction.parts: must not be empty')
  onlyKeys(si, new Set(['role', 'parts']), 'system_instruction')
  si.parts.forEach((p: unknown, j: number) => checkPart(p, 'user', `system_instruction.parts[${j}]`))
}

/** Deterministic base64 bytes standing in for an opaque thought signature (with + / = in them). */
function signatureFor(seed: string): string {
  const bytes = Buffer.concat([createHash('sha256').update(seed).digest(), createHash('sha256').update(`${seed}#`).digest()])
  return bytes.subarray(0, 50).toString('base64')
}

/** AUDIO tokens of a turn's audio parts: ceil(bytes / 500) each (32 tokens a second of 16 000 bytes). */
function audioTokensOf(content: any): number {
  return (content?.parts ?? []).filter((p: any) => /^audio\//.test(p.inlineData?.mimeType ?? ''))
    .reduce((n: number, p: any) => n + Math.ceil(Buffer.from(p.inlineData.data, 'base64').length / 500), 0)
}

function textOf(content: any): string {
  return (content?.parts ?? []).filter((p: any) => typeof p.text === 'string').map((p: any) => p.text).join(' ')
}

/** A JSON reply matching the schema's required keys, each set to "x". */
function jsonReply(schema: any): string {
  return JSON.stringify(Object.fromEntries((schema?.required ?? []).map((k: string) => [k, 'x'])))
}

interface Answer {
  blocked: boolean
  /** The thought summary part, when thoughts were asked for (includeThoughts). */
  thought?: any
  parts: any[]
  /** The reply text in stream-sized pieces (the non-stream reply joins them). */
  pieces: string[]
  finishReason: string
  thinking: boolean
  usage: Record<string, unknown>
}

/** The prompt's tokens: what generateContent's usage reports, and what countTokens answers. */
const promptTokenCount = (body: any): number =>
  (body.contents as any[]).reduce((n, c) => n + 4 + words(textOf(c)) + audioTokensOf(c), 3 + words(textOf(body.systemInstruction)))

function answer(model: string, body: any, issued: Set<string>): Answer {
  const contents: any[] = body.contents
  const lastUser = [...contents].reverse().find(c => c.role === 'user')
  const lastText = textOf(lastUser)
  const allText = [textOf(body.systemInstruction), ...contents.map(textOf)].join(' ')
  const audioTokens = contents.reduce((n, c) => n + audioTokensOf(c), 0)
  const promptTokens = promptTokenCount(body)
  const thinking = thinks(body, allText)
  const thoughts = thinking ? 7 : 0
  const cached = allText.includes('[cached]') ? Math.floor(promptTokens / 2) : 0
  const config = body.generationConfig ?? {}
  const fcc = body.toolConfig?.functionCallingConfig ?? {}
  const declared: string[] = (body.tools ?? []).flatMap((t: any) => (t.functionDeclarations ?? []).map((d: any) => d.name))
  const results = (lastUser?.parts ?? []).filter((p: any) => p.functionResponse)

  let parts: any[]
  let pieces: string[] = []
  let finishReason = 'STOP'
  let outputTokens: number
  if (declared.length && fcc.mode !== 'NONE' && !results.length && /weather/i.test(lastText)) {
    const name = fcc.allowedFunctionNames?.[0] ?? declared[0]
    const signature = signatureFor(`${model}:${name}:${issued.size}`)
    issued.add(signature)
    parts = [{ functionCall: { name, args: { city: 'Paris' } }, thoughtSignature: signature }]
    outputTokens = 5
  }
  else {
    const reply = results.length
      ? results.map((p: any) => `tool result: ${JSON.stringify(p.functionResponse.response)}`).join('\n')
      : config.responseMimeType === 'application/json'
        ? jsonReply(config.responseJsonSchema ?? config.responseSchema)
        : fakeReply([{ role: 'user', content: lastText }])
    pieces = reply.match(/\S+\s*/g) ?? [reply]
    if (typeof config.maxOutputTokens === 'number' && pieces.length > config.maxOutputTokens) {
      pieces = pieces.slice(0, config.maxOutputTokens)
      finishReason = 'MAX_TOKENS'
    }
    // Streams always take at least two events.
    if (pieces.length === 1 && pieces[0]!.length > 1) pieces = [pieces[0]!.slice(0, 1), pieces[0]!.slice(1)]
    parts = [{ text: pieces.join('') }]
    outputTokens = words(pieces.join(''))
  }
  if (thinking) parts.push({ text: '', thoughtSignature: signatureFor(`${model}:text:${lastText}`) })
  const thought = thinking && config.thinkingConfig?.includeThoughts ? { text: `Thinking about: ${lastText}`, thought: true } : undefined
  const candidates = config.candidateCount ?? 1
  const usage = {
    promptTokenCount: promptTokens,
    candidatesTokenCount: outputTokens * candidates,
    totalTokenCount: promptTokens + outputTokens * candidates + thoughts,
    ...(cached ? { cachedContentTokenCount: cached, cacheTokensDetails: [{ modality: 'TEXT', tokenCount: cached }] } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokens - audioTokens }, ...(audioTokens ? [{ modality: 'AUDIO', tokenCount: audioTokens }] : [])],
    ...(thoughts ? { thoughtsTokenCount: thoughts } : {}),
  }
  return { blocked: lastText.includes('[blocked]'), thought, parts, pieces, finishReason, thinking, usage }
}

function sendError(res: ServerResponse, err: ApiError) {
  res.writeHead(err.code, { 'content-type': 'application/json; charset=UTF-8' })
  res.end(JSON.stringify({ error: { code: err.code, message: err.message, status: err.status, ...(err.details ? { details: err.details } : {}) } }, null, 2))
}

const OVERLOADED = () => new ApiError(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')

function checkGenerateRequest(body: any, model: string) {
  checkContents(body.contents)
  checkSystemInstruction(body.systemInstruction)
  checkGenerationConfig(body.generationConfig, model)
  checkOutputLimit(model, body.generationConfig)
  checkTools(model, body.tools, body.toolConfig)
}

/**
 * countTokens: either `contents` alone (counted without a system instruction or tools) or a whole
 * `generateContentRequest`, naming its model, checked as generateContent checks it.
 */
function countTokens(res: ServerResponse, model: string, body: any) {
  if (!isObject(body)) throw invalid('Invalid JSON payload received.')
  onlyKeys(body, new Set(['contents', 'generateContentRequest']))
  if (body.contents !== undefined && body.generateContentRequest !== undefined) throw invalid('contents and generate_content_request are mutually exclusive.')
  let counted: any
  if (body.generateContentRequest !== undefined) {
    const request = body.generateContentRequest
    if (!isObject(request)) throw invalid('Invalid value at \'generate_content_request\': expected an object.')
    onlyKeys(request, new Set([...REQUEST_KEYS, 'model']), 'generate_content_request')
    if (request.model !== `models/${model}`) throw invalid('* CountTokensRequest.generate_content_request.model: must be the model of the request, as models/{model}.')
    checkGenerateRequest(request, model)
    counted = request
  }
  else {
    checkContents(body.contents)
    counted = { contents: body.contents }
  }
  const total = promptTokenCount(counted)
  sendJson(res, { totalTokens: total, promptTokensDetails: [{ modality: 'TEXT', tokenCount: total }] })
}

function generate(res: ServerResponse, model: string, body: any, stream: boolean, issued: Set<string>) {
  if (!isObject(body)) throw invalid('Invalid JSON payload received.')
  onlyKeys(body, REQUEST_KEYS)
  checkGenerateRequest(body, model)
  if (model.startsWith('gemini-3')) checkSignatures(body.contents, issued)

  const lastUserText = textOf([...body.contents].reverse().find((c: any) => c.role === 'user'))
  if (lastUserText.includes('[fail-503]')) throw OVERLOADED()
  const a = answer(model, body, issued)
  const base = { modelVersion: model, responseId: createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22) }
  const candidateCount = body.generationConfig?.candidateCount ?? 1
  const candidates = (parts: any[], finishReason?: string) =>
    Array.from({ length: candidateCount }, (_, index) => ({ content: { parts, role: 'model' }, ...(finishReason ? { finishReason } : {}), index }))

  if (a.blocked) {
    const blocked = { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: a.usage.promptTokenCount, totalTokenCount: a.usage.promptTokenCount }, ...base }
    if (!stream) return sendJson(res, blocked)
    return sendEvents(res, [blocked])
  }
  if (!stream) return sendJson(res, { candidates: candidates(a.thought ? [a.thought, ...a.parts] : a.parts, a.finishReason), usageMetadata: a.usage, ...base })

  // Stream: the thought summary first, one event per text piece (or the function call), usage
  // cumulative on each, finishReason last.
  const events: object[] = a.thought ? [{ candidates: candidates([a.thought]), usageMetadata: { ...a.usage, candidatesTokenCount: 0, totalTokenCount: (a.usage.totalTokenCount as number) - (a.usage.candidatesTokenCount as number) }, ...base }] : []
  const [main, signatureOnly] = a.thinking ? [a.parts.slice(0, -1), a.parts.at(-1)] : [a.parts, undefined]
  const slices: any[][] = a.pieces.length ? a.pieces.map(text => [{ text }]) : [main]
  let sent = ''
  slices.forEach((parts, i) => {
    sent += parts.map(p => p.text ?? '').join('')
    const last = i === slices.length - 1 && !signatureOnly && !main.some(p => p.functionCall)
    const sofar = a.pieces.length ? words(sent) * candidateCount : (a.usage.candidatesTokenCount as number)
    events.push({
      candidates: candidates(parts, last ? a.finishReason : undefined),
      usageMetadata: { ...a.usage, candidatesTokenCount: sofar, totalTokenCount: (a.usage.totalTokenCount as number) - (a.usage.candidatesTokenCount as number) + sofar },
      ...base,
    })
  })
  if (signatureOnly || main.some(p => p.functionCall)) {
    events.push({ candidates: candidates([signatureOnly ?? { text: '' }], a.finishReason), usageMetadata: a.usage, ...base })
  }
  if (lastUserText.includes('[fail-midstream]')) {
    return sendEvents(res, [events[0]!, { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } }])
  }
  sendEvents(res, events)
}

function sendJson(res: ServerResponse, body: unknown) {
  res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' })
  res.end(JSON.stringify(body, null, 2))
}

function sendEvents(res: ServerResponse, events: object[]) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  for (const e of events) res.write(`data: ${JSON.stringify(e)}\r\n\r\n`)
  res.end()
}

function embedText(content: unknown, at: string): string {
  if (!isObject(content) || !Array.isArray(content.parts) || content.parts.length === 0) throw invalid(`* ${at}.content.parts: must not be empty`)
  onlyKeys(content, new Set(['role', 'parts']), `${at}.content`)
  return content.parts.map((p: any, j: number) => {
    if (!isObject(p) || typeof p.text !== 'string') throw invalid(`* ${at}.content.parts[${j}]: text is required`)
    onlyKeys(p, new Set(['text']), `${at}.content.parts[${j}]`)
    return p.text
  }).join(' ')
}

const EMBED_KEYS = new Set(['model', 'content', 'taskType', 'title', 'outputDimensionality'])

function embedOne(req: unknown, model: string, at: string, modelRequired: boolean) {
  if (!isObject(req)) throw invalid(`* ${at}: must be an object`)
  onlyKeys(req, EMBED_KEYS, at)
  if (modelRequired && req.model === undefined) throw invalid(`* ${at}.model: unexpected model name format`)
  if (req.model !== undefined && req.model !== `models/${model}`) throw invalid(`* ${at}.model: Model names should be the same in the request and the URL: models/${model}.`)
  const dims = req.outputDimensionality ?? 8
  if (typeof dims !== 'number' || dims < 1) throw invalid(`* ${at}.output_dimensionality: must be a positive integer`)
  return { values: fakeVector(embedText(req.content, at), dims) }
}

function embed(res: ServerResponse, model: string, method: string, body: any) {
  if (method === 'embedContent') return sendJson(res, { embedding: embedOne(body, model, 'EmbedContentRequest', false) })
  if (!isObject(body)) throw invalid('Invalid JSON payload received.')
  onlyKeys(body, new Set(['requests']))
  if (!Array.isArray(body.requests) || body.requests.length === 0) throw invalid('* BatchEmbedContentsRequest.requests: requests is not specified')
  if (body.requests.length > 100) throw invalid('* BatchEmbedContentsRequest.requests: at most 100 requests can be in one batch')
  sendJson(res, { embeddings: body.requests.map((r: unknown, i: number) => embedOne(r, model, `BatchEmbedContentsRequest.requests[${i}]`, true)) })
}

const CHAT_METHODS = new Set(['generateContent', 'streamGenerateContent', 'countTokens'])
const EMBED_METHODS = new Set(['embedContent', 'batchEmbedContents'])

function supports(model: string, method: string): boolean {
  const embedding = model.includes('embedding')
  return embedding ? EMBED_METHODS.has(method) : model.startsWith('gemini-') && CHAT_METHODS.has(method)
}

export async function startFakeGemini(apiKey = 'AIzaSyFakeGeminiProviderKey0123456789abc'): Promise<FakeGemini> {
  const requests: GeminiRecordedRequest[] = []
  /** Every thought signature this fake handed out: Gemini 3 turns must bring one of them back. */
  const issued = new Set<string>()
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://fake')
    try {
      let body: any
      try {
        body = raw ? JSON.parse(raw) : undefined
      }
      catch {
        throw invalid(`Invalid JSON payload received. Unexpected token.\n${raw.slice(0, 20)}\n^`)
      }
      requests.push({ method: req.method ?? '', path: url.pathname, search: url.search, headers: req.headers, body })
      // The real API takes ?key= too; a gateway must never put its credential in a URL.
      if (url.searchParams.has('key')) throw invalid('fake-gemini: send the API key in x-goog-api-key, never in the URL.')
      if (req.headers['x-goog-api-key'] !== apiKey) {
        throw new ApiError(400, 'INVALID_ARGUMENT', BAD_KEY, [
          { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', 'reason': 'API_KEY_INVALID', 'domain': 'googleapis.com', 'metadata': { service: 'generativelanguage.googleapis.com' } },
          { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', 'locale': 'en-US', 'message': BAD_KEY },
        ])
      }
      const m = /^\/v1beta\/models\/([^/:]+):(\w+)$/.exec(url.pathname)
      if (req.method !== 'POST' || !m) throw new ApiError(404, 'NOT_FOUND', `The requested URL ${url.pathname} was not found on this server.`)
      const [, model, method] = m as unknown as [string, string, string]
      if (!supports(model, method)) {
        throw new ApiError(404, 'NOT_FOUND', `models/${model} is not found for API version v1beta, or is not supported for ${method}. Call ListModels to see the list of available models and their supported methods.`)
      }
      if (method === 'streamGenerateContent' && url.searchParams.get('alt') !== 'sse') throw invalid('fake-gemini: only streamGenerateContent?alt=sse is served.')
      if (EMBED_METHODS.has(method)) return embed(res, model, method, body)
      if (method === 'countTokens') return countTokens(res, model, body)
      generate(res, model, body, method === 'streamGenerateContent', issued)
    }
    catch (err) {
      // A bug in the fake itself shows up as a 500 naming it, not as a crashed test run.
      sendError(res, err instanceof ApiError ? err : new ApiError(500, 'INTERNAL', `fake-gemini: ${String(err)}`))
    }
  })
  const { url, close } = await listenOnLoopback(server)
  return { url, apiKey, requests, close }
}
