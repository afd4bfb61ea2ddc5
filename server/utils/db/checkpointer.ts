// SQLite's automatic WAL checkpoint runs inside a COMMIT on the event loop and was the longest pause
// under load (tens of ms at p99). Instead, a worker thread with its own connection checkpoints the
// WAL every few seconds, and the gateway's connection never does.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

const INTERVAL_MS = 2000

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { timeout: 5000 })
db.pragma('busy_timeout = 5000')
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch (error) { parentPort.postMessage({ error: String(error) }) }
}, workerData.interval)
parentPort.on('message', (m) => {
  if (m !== 'stop') return
  clearInterval(timer)
  db.close()
  process.exit(0)
})
parentPort.postMessage({ ready: true })
`

export interface Checkpointer {
  stop(): Promise<void>
}

/** Starts the checkpointing worker; resolves once it has opened the database. */
export function startCheckpointer(path: string): Promise<Checkpointer> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  // A small heap: the worker only runs one pragma, and its memory counts against the gateway's RSS.
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, interval: INTERVAL_MS }, resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 } })
  worker.unref()
  return new Promise((resolve, reject) => {
    worker.once('error', reject)
    worker.on('message', (m: { ready?: boolean, error?: string }) => {
      if (m.ready) resolve({ stop: () => stopWorker(worker) })
      else if (m.error) console.warn('[db] WAL checkpoint failed:', m.error)
    })
  })
}

/** Asks the worker to close its connection; ends it outright if it has not within a second. */
function stopWorker(worker: Worker): Promise<void> {
  return new Promise<void>((done) => {
    const force = setTimeout(() => void worker.terminate(), 1000)
    worker.once('exit', () => {
      clearTimeout(force)
      done()
    })
    worker.postMessage('stop')
  })
}
