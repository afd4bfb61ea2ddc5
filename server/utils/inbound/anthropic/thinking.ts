// Thinking blocks the gateway writes on /v1/messages for models that are not Claude: their reasoning
// text, signed with a marker of the gateway's instead of Anthropic's signature (which only Anthropic
// can make). The marker lets the gateway recognise such a block when a client sends it back: it is
// left out of a request to Claude (which would refuse the signature) and of any other (which has no
// thinking blocks to read).
const MARKER = 'gateway-thinking.v1'

export const gatewayThinkingSignature = (provider: string) => `${MARKER}.${provider}`

export const isGatewayThinking = (block: { type?: unknown, signature?: unknown }) =>
  block.type === 'thinking' && typeof block.signature === 'string' && block.signature.startsWith(`${MARKER}.`)
