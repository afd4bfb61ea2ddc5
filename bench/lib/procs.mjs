// Child processes of the benchmark: the fake upstream and the bare proxy (forked, report their port
// over IPC), the built gateway and, when installed, Portkey's gateway (spawned, polled until they
// answer). Every child is ended by its own pid when the benchmark stops.
import { fork, spawn } from 'node:child_process'
import { closeSync, openSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const children = new Set()

function track(child, name) {
  children.add(child)
  child.once('exit', () => children.delete(child))
  child.benchName = name
  return child
}

/** Forks bench/<script> and waits for its {ready, port} message. */
export function forkChild(script, env = {}, name = script) {
  const child = track(fork(join(here, '..', script), [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }), name)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 10_000)
    child.once('exit', code => reject(new Error(`${name} exited (${code})`)))
    child.on('message', (msg) => {
      if (!msg?.ready) return
      clearTimeout(timer)
      resolve({ child, pid: child.pid, port: msg.port, url: `http://127.0.0.1:${msg.port}` })
    })
  })
}

/** Asks a forked child for something over IPC and waits for the reply key. */
export function ask(child, cmd, replyKey) {
  return new Promise((resolve) => {
    const on = (msg) => {
      if (msg?.[replyKey] === undefined) return
      child.off('message', on)
      resolve(msg[replyKey])
    }
    child.on('message', on)
    child.send({ cmd })
  })
}

async function waitHttp(url, child, name, logFile, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited early (${child.exitCode}); see ${logFile}`)
    const ok = await fetch(url).then(r => r.status < 500, () => false)
    if (ok) return
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`${name} did not answer ${url} within ${timeoutMs} ms; see ${logFile}`)
}

/**
 * Spawns `[wrapper] node [nodeArgs] entry [args]` with stdout and stderr appended to logFile, waits until
 * readyPath answers. A wrapper (e.g. valgrind and its options) runs node as its own process, same pid.
 */
export async function spawnServer({ name, entry, args = [], nodeArgs = [], wrapper = [], env, port, readyPath, logFile, cwd, readyTimeoutMs }) {
  const fd = openSync(logFile, 'a')
  const command = [...wrapper, process.execPath, ...nodeArgs, entry, ...args]
  const child = track(spawn(command[0], command.slice(1), { env, cwd, stdio: ['ignore', fd, fd] }), name)
  closeSync(fd)
  const url = `http://127.0.0.1:${port}`
  await waitHttp(`${url}${readyPath}`, child, name, logFile, readyTimeoutMs)
  return { child, pid: child.pid, port, url }
}

/** SIGTERM, then SIGKILL after graceMs; resolves with the exit code. */
export function stopChild(child, graceMs = 15_000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve(child?.exitCode ?? null)
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
    child.kill('SIGTERM')
  })
}

export async function stopAll() {
  await Promise.all([...children].map(c => stopChild(c, 5_000)))
}

/** The pids of the children still running. */
/** On Ctrl-C or SIGTERM, stops every child and removes the run's scratch folder before exiting. */
export function cleanUpOnSignal(tmp) {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, async () => {
      await stopAll()
      rmSync(tmp, { recursive: true, force: true })
      process.exit(130)
    })
  }
}

export function childPids() {
  return [...children].map(c => c.pid)
}
