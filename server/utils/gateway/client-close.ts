// The client went away before its response was complete: the upstream call in progress (or a
// retry's wait) must stop. One listener at a time is all a request needs (the step in progress),
// which keeps this far cheaper on the hot path than an AbortController per request.
import type { ServerResponse } from 'node:http'
import { GatewayError } from '../core/errors'

/**
 * The client went away. `providerBusy`: while a provider had the call and was answering it; the
 * provider bills that work, so the request is metered (its prompt at least) rather than free.
 */
export class ClientClosedError extends GatewayError {
  constructor(readonly providerBusy = false) {
    super(499, 'The client closed the request.', 'api_error', 'client_closed_request')
  }
}

export const clientClosedError = (providerBusy = false) => new ClientClosedError(providerBusy)

/**
 * The end of whoever waits for the answer: a client's connection closing early, or (with no
 * connection, for work run in the background) a call to close().
 */
export class ClientClose {
  closed = false
  private listener: (() => void) | undefined

  constructor(res?: ServerResponse) {
    res?.once('close', () => {
      if (!res.writableFinished) this.close()
    })
  }

  /** The answer is no longer wanted: the step in progress stops. */
  close(): void {
    if (this.closed) return
    this.closed = true
    const listener = this.listener
    this.listener = undefined
    listener?.()
  }

  /** Calls `fn` when the client goes away (at once if it has); returns what stops listening. */
  listen(fn: () => void): () => void {
    if (this.closed) {
      fn()
      return () => {}
    }
    this.listener = fn
    return () => {
      if (this.listener === fn) this.listener = undefined
    }
  }
}
