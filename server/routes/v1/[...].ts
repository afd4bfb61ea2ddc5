// Anything else under /v1, whatever the method, is answered the way OpenAI answers an unknown URL.
// (A nameless catch-all: Nitro's router falls back to it for a known path asked with another method,
// which it does not do for a named one such as [...path].)
import { unknownUrlHandler } from '../../utils/gateway/unknown-url'

export default unknownUrlHandler()
