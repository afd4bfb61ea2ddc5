// At most `limit` tasks run at once and at most `maxWaiting` wait for a turn; past that `run` fails at
// once with `busy()` instead of queueing without bound (a flood gets refused, not buffered).
export function semaphore(limit: number, maxWaiting: number, busy: () => Error) {
  let running = 0
  const waiting: Array<() => void> = []
  // A finished task hands its turn straight to the next waiter, so `running` counts both.
  const release = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running < limit) running++
    else if (waiting.length < maxWaiting) await new Promise<void>(resolve => waiting.push(resolve))
    else throw busy()
    try {
      return await task()
    }
    finally {
      release()
    }
  }
}
