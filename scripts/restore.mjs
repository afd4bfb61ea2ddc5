// `npm run restore -- <backup folder>`: puts a backup (from db:backup) back into DATA_DIR. Refuses
// while a gateway runs on that DATA_DIR, checks the backup's integrity first, and keeps the database
// it replaces as gateway.db.pre-restore-<time>.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'

function fail(message) {
  console.error(`restore: ${message}`)
  process.exit(1)
}

const source = process.argv[2]
if (!source) fail('usage: npm run restore -- <backup folder>')
const from = resolve(source)
const dataDir = resolve(process.env.DATA_DIR ?? './data')
const backupDb = join(from, 'gateway.db')
if (!existsSync(backupDb)) fail(`${backupDb} does not exist`)

const pidPath = join(dataDir, 'gateway.pid')
if (existsSync(pidPath)) {
  const pid = Number(readFileSync(pidPath, 'utf8'))
  let alive = false
  try {
    process.kill(pid, 0)
    alive = true
  }
  catch (error) {
    alive = error.code === 'EPERM'
  }
  if (alive) fail(`a gateway (pid ${pid}) is running on ${dataDir}: stop it first`)
}

const check = new Database(backupDb, { readonly: true, fileMustExist: true })
const integrity = check.pragma('integrity_check', { simple: true })
check.close()
if (integrity !== 'ok') fail(`the backup's database fails its integrity check: ${integrity}`)

mkdirSync(join(dataDir, 'registry'), { recursive: true })
const target = join(dataDir, 'gateway.db')
if (existsSync(target)) {
  const kept = `${target}.pre-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`
  renameSync(target, kept)
  console.log(`restore: kept the current database as ${kept}`)
}
for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true })
copyFileSync(backupDb, target)
for (const file of ['models.json', 'models.json.bak']) {
  if (existsSync(join(from, file))) copyFileSync(join(from, file), join(dataDir, 'registry', file))
}
rmSync(pidPath, { force: true })
console.log(`restore: ${from} restored into ${dataDir}; start the gateway`)
