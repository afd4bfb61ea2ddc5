// The background SQLite connection, on a worker thread. It does the two writes that used to stall the
// event loop: WAL checkpoints (SQLite's automatic one runs inside a COMMIT, tens of ms at p99) every
// 2 s, and batches of rows run through given statements (the request log's: a few ms of synchronous
// better-sqlite3 work every 200 ms). Each statement is prepared once, at its first use.
// The worker is an eval'd CommonJS string because Nitro bundles the server into chunks.
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { consola } from 'consola'
import type { SqlRow } from './dialect'

const CHECKPOINT_MS = 2000

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const { db, write } = (() => {
  try {
    // timeout: SQLite's busy_timeout, how long a write waits for the main connection's lock.
    const db = new Database(workerData.path, { timeout: workerData.busyTimeoutMs })
    const prepared = new Map()
    const statement = (sql) => {
      let s = prepared.get(sql)
      if (!s) prepared.set(sql, s = db.prepare(sql))
      return s
    }
    const write = db.transaction((statements, lists) => {
      lists.forEach((rows, i) => { const s = statement(statements[i]); for (const row of rows) s.run(row) })
    })
    return { db, write }
  }
  catch (error) {
    // A SqliteError reaches the main thread without its message; a plain Error keeps it.
    throw new Error(String(error))
  }
})()
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch (error) { parentPort.postMessage({ warning: String(error) }) }
}, workerData.checkpointMs)
parentPort.on('message', (m) => {
  if (m === 'stop') {
    clearInterval(timer)
    db.close()
    parentPort.close()
    return
  }
  // IMMEDIATE takes the write lock at BEGIN, waiting out the main connection's for the busy timeout.
  try { write.immediate(m.statements, m.lists); parentPort.postMessage({ id: m.id, ok: true }) }
  catch (error) { parentPort.postMessage({ id: m.id, error: String(error) }) }
})
parentPort.postMessage({ ready: true })
`

type Reply = { ready: true } | { warning: string } | { id: number, ok: true } | { id: number, error: string }

export interface SqliteWriterOptions {
  path: string
  busyTimeoutMs: number
  /** Called when the worker ends without being asked to. */
  onCrash(error: Error): void
}

export interface SqliteWriter {
  /** Runs each list of rows through the statement (SQL) at its index, all in one transaction; resolves once committed. */
  write(statements: string[], lists: SqlRow[][]): Promise<void>
  /** Closes the worker's connection and ends the thread. */
  stop(): Promise<void>
}

/** Starts the writer; resolves once it has opened the database. */
export function startSqliteWriter(options: SqliteWriterOptions): Promise<SqliteWriter> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const { path, busyTimeoutMs } = options
  // A small heap, as its memory counts against the gateway's RSS; the request log caps the rows of a batch.
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { path, driver, busyTimeoutMs, checkpointMs: CHECKPOINT_MS },
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  })
  // Idle, the thread does not keep the process alive; a write or a stop in progress does.
  worker.unref()
  const inFlight = new Map<number, { resolve(): void, reject(error: Error): void }>()
  let nextId = 0
  let started = false
  let stopping = false
  let failure: Error | undefined
  const exited = new Promise<void>(resolve => worker.once('exit', () => resolve()))

  function settle(id: number, error?: Error) {
    const waiting = inFlight.get(id)
    inFlight.delete(id)
    if (!inFlight.size && !stopping) worker.unref()
    if (error) waiting?.reject(error)
    else waiting?.resolve()
  }

  function write(statements: string[], lists: SqlRow[][]): Promise<void> {
    if (failure || stopping) return Promise.reject(failure ?? new Error('the SQLite writer is stopped'))
    const id = nextId++
    return new Promise((resolve, reject) => {
      inFlight.set(id, { resolve, reject })
      worker.ref()
      worker.postMessage({ id, statements, lists })
    })
  }

  /** Asks the worker to close its connection (after the writes already sent); ends it outright if it has not within a second. */
  async function stop(): Promise<void> {
    if (!stopping && !failure) {
      stopping = true
      worker.ref()
      worker.postMessage('stop')
    }
    const force = setTimeout(() => void worker.terminate(), 1000)
    await exited
    clearTimeout(force)
  }

  return new Promise((resolve, reject) => {
    worker.on('error', (error) => {
      failure = error
      reject(error)
    })
    worker.on('exit', (code) => {
      failure ??= new Error(`the SQLite writer exited with code ${code}`)
      for (const id of [...inFlight.keys()]) settle(id, failure)
      if (!started) reject(failure)
      else if (!stopping) options.onCrash(failure)
    })
    worker.on('message', (m: Reply) => {
      if ('ready' in m) {
        started = true
        resolve({ write, stop })
      }
      else if ('warning' in m) consola.warn('[db] WAL checkpoint failed:', m.warning)
      else settle(m.id, 'error' in m ? new Error(m.error) : undefined)
    })
  })
}
