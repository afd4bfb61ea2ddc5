// Process accounting from /proc (Linux): resident memory and CPU time of one process, all threads.
import { readFileSync } from 'node:fs'

const CLK_TCK = 100 // USER_HZ on Linux

/** VmRSS of a process in MiB. */
export function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

/** User + system CPU time of a process in ms (all threads: JS, GC, libuv pool). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) * 1000 / CLK_TCK
}

/** Machine facts for the report. */
export function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8')
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? 'unknown'
  const memKb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0)
  return { model, memGiB: memKb / 1024 / 1024 }
}

/** CPU time all processes on the machine spent (user + nice + system), in ms, from /proc/stat. */
export function machineBusyMs() {
  const [user, nice, system] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number)
  return (user + nice + system) * 1000 / CLK_TCK
}

/**
 * Tracks CPU used on the machine by processes other than ours (the benchmark and its children), so
 * that a run disturbed by other work (builds, test suites) says so. `pids()` lists our children.
 */
export function foreignLoad(pids) {
  const ours = () => {
    let ms = 0
    for (const pid of pids()) {
      try { ms += cpuMs(pid) }
      catch { /* ended */ }
    }
    const self = process.cpuUsage()
    return ms + (self.user + self.system) / 1000
  }
  const mark = () => ({ t: performance.now(), busy: machineBusyMs(), ours: ours() })
  return {
    mark,
    /** Cores used by other processes between a mark and now. */
    since(m0) {
      const m1 = mark()
      const wall = m1.t - m0.t
      return wall > 0 ? Math.max(0, (m1.busy - m0.busy) - (m1.ours - m0.ours)) / wall : NaN
    },
  }
}
