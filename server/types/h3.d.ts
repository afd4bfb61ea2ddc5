import type { RequestContext } from '../utils/gateway/meter'

declare module 'h3' {
  interface H3EventContext {
    /** Set by middleware/01.request.ts for every request. */
    requestId: string
    /** Set by the /v1 pipeline; read by the access log. */
    gateway?: RequestContext
  }
}

export {}
