import type { RequestContext } from '../utils/gateway/context'

declare module 'h3' {
  interface H3EventContext {
    /** Set by middleware/01.request.ts for every request. */
    requestId: string
    /** Set by the /v1 request framework; read by the access log. */
    gateway?: RequestContext
  }
}

export {}
