// The slice of the Gemini REST API (v1beta) the adapter reads and writes.

export interface GeminiFunctionCall {
  name: string
  args?: Record<string, unknown>
}

export interface GeminiPart {
  text?: string
  /** The part is a thought summary, not answer text. */
  thought?: boolean
  /** Opaque reasoning state; Gemini 3 requires it back on function-call turns. */
  thoughtSignature?: string
  inlineData?: { mimeType: string, data: string }
  fileData?: { mimeType: string, fileUri: string }
  functionCall?: GeminiFunctionCall
  functionResponse?: { name: string, response: Record<string, unknown> }
}

export interface GeminiContent {
  role: 'user' | 'model'
  parts: GeminiPart[]
}

/** Tokens of one modality: TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT. */
export interface ModalityTokenCount {
  modality?: string
  tokenCount?: number
}

export interface GeminiUsage {
  promptTokenCount?: number
  cachedContentTokenCount?: number
  /** promptTokenCount by modality (cached tokens included). */
  promptTokensDetails?: ModalityTokenCount[]
  /** cachedContentTokenCount by modality. */
  cacheTokensDetails?: ModalityTokenCount[]
  candidatesTokenCount?: number
  toolUsePromptTokenCount?: number
  thoughtsTokenCount?: number
  totalTokenCount?: number
}

export interface GeminiCandidate {
  index?: number
  content?: { role?: string, parts?: GeminiPart[] }
  finishReason?: string
}

export interface GenerateContentResponse {
  candidates?: GeminiCandidate[]
  promptFeedback?: { blockReason?: string }
  usageMetadata?: GeminiUsage
  modelVersion?: string
  responseId?: string
}

export interface GeminiErrorBody {
  error?: {
    code?: number
    message?: string
    status?: string
    details?: { reason?: string }[]
  }
}
