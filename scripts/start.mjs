// `npm start`: build if needed, then run the built server in this process (PORT, HOST, DATA_DIR…).
import { pathToFileURL } from 'node:url'
import { buildIfStale, serverEntry } from './build-if-stale.mjs'

buildIfStale()
process.env.NODE_ENV ??= 'production'
await import(pathToFileURL(serverEntry).href)
