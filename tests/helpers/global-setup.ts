// Builds the server when any source is newer than .output, so end-to-end tests run today's code.
import { buildIfStale } from '../../scripts/build-if-stale.mjs'

export default function setup() {
  buildIfStale({ quiet: true })
}
