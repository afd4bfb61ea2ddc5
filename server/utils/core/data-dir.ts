// DATA_DIR holds the database (admin password hashes, key digests, sealed credentials, the request
// log), the registry, generated secrets and, by default, the backups: none of it is for other users
// of the machine. At start the process umask becomes 077, so everything the gateway creates from then
// on (SQLite's WAL and shared-memory files included) is 0600 and every folder 0700; what an older
// version or an operator left looser is tightened, and each such path is named in a warning.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { isMainThread } from 'node:worker_threads'
import { consola } from 'consola'
import { config } from './config'
import { errorMessage } from './error-message'

const PRIVATE_UMASK = 0o077
const GROUP_OR_OTHER = 0o077

/** Folders and files under `dir` whose mode lets a group or other users in, tightened to 0700 / 0600. */
function tighten(dir: string, loose: string[]): void {
  let stats
  try {
    stats = lstatSync(dir)
  }
  catch {
    return
  }
  if (stats.isSymbolicLink()) return
  if (stats.mode & GROUP_OR_OTHER) {
    try {
      chmodSync(dir, stats.isDirectory() ? 0o700 : 0o600)
      loose.push(dir)
    }
    catch (error) {
      consola.warn(`[gateway] ${dir} is readable by other users and could not be tightened:`, errorMessage(error))
    }
  }
  if (stats.isDirectory()) {
    for (const name of readdirSync(dir)) tighten(join(dir, name), loose)
  }
}

/** Sets the umask and makes DATA_DIR (and BACKUP_DIR) private; call before anything writes there. */
export function secureDataDir(): void {
  // `nuxt dev` runs the server in a worker thread, where Node refuses to set the umask: there new
  // files get the shell's umask, and the next start tightens them.
  if (isMainThread) process.umask(PRIVATE_UMASK)
  const { dataDir, backupDir } = config()
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const loose: string[] = []
  tighten(dataDir, loose)
  if (!backupDir.startsWith(`${dataDir}/`)) tighten(backupDir, loose)
  if (loose.length) {
    consola.warn(`[gateway] tightened ${loose.length} path(s) that other users could read to 0700/0600: ${loose.slice(0, 10).join(', ')}${loose.length > 10 ? ', …' : ''}`)
  }
}
