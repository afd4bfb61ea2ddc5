// `npm run restore -- <backup folder>`: puts a backup (from db:backup) back into DATA_DIR. Refuses
// while a gateway runs on that DATA_DIR, checks the backup's integrity first, and keeps the database
// it replaces as gateway.db.pre-restore-<time>.
// `npm run restore -- s3://<backup name>` (or `--s3 <backup name>`; `latest` for the newest complete one;
// s3://<key prefix>/<backup name> outside BACKUP_S3_PREFIX) first downloads the backup from the BACKUP_S3_*
// store into a temporary folder, then restores it the same way.
import { copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import Database from 'better-sqlite3'

// What the restore writes into DATA_DIR is private to the gateway's user, as the gateway keeps it.
process.umask(0o077)

function fail(message) {
  console.error(`restore: ${message}`)
  process.exit(1)
}

/** Downloads a backup from the S3 store into a temporary folder (removed at exit); returns that folder. */
async function downloadFromS3(spec) {
  const env = process.env
  const missing = ['BACKUP_S3_ENDPOINT', 'BACKUP_S3_BUCKET', 'BACKUP_S3_ACCESS_KEY_ID', 'BACKUP_S3_SECRET_ACCESS_KEY'].filter(n => !env[n]?.trim())
  if (missing.length) fail(`restoring from S3 needs ${missing.join(', ')}`)
  const { GetObjectCommand, paginateListObjectsV2, S3Client } = await import('@aws-sdk/client-s3')
  // The same client settings as the gateway's (server/utils/ops/s3-client.ts).
  const client = new S3Client({
    endpoint: env.BACKUP_S3_ENDPOINT,
    region: env.BACKUP_S3_REGION?.trim() || 'us-east-1',
    credentials: { accessKeyId: env.BACKUP_S3_ACCESS_KEY_ID, secretAccessKey: env.BACKUP_S3_SECRET_ACCESS_KEY },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  const Bucket = env.BACKUP_S3_BUCKET
  const prefix = (env.BACKUP_S3_PREFIX?.trim() || 'gateway-backups/').replace(/^\/+|\/+$/g, '').replace(/.+/, '$&/')
  const list = async (Prefix) => {
    const keys = []
    for await (const page of paginateListObjectsV2({ client }, { Bucket, Prefix })) keys.push(...(page.Contents ?? []).map(o => o.Key))
    return keys
  }
  const wanted = spec.replace(/^\/+|\/+$/g, '')
  let folder = wanted.includes('/') ? `${wanted}/` : `${prefix}${wanted}/`
  if (wanted === 'latest') {
    // Complete backups only: the database is uploaded last.
    const names = (await list(prefix)).filter(k => /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\/gateway\.db$/.test(k.slice(prefix.length))).sort()
    if (!names.length) fail(`no backup under s3://${Bucket}/${prefix}`)
    folder = names.at(-1).slice(0, -'gateway.db'.length)
  }
  const keys = (await list(folder)).filter(k => !k.slice(folder.length).includes('/'))
  if (!keys.length) fail(`no backup at s3://${Bucket}/${folder}`)
  const dir = mkdtempSync(join(tmpdir(), 'gateway-restore-'))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  for (const Key of keys) {
    const { Body } = await client.send(new GetObjectCommand({ Bucket, Key }))
    await pipeline(Body, createWriteStream(join(dir, basename(Key))))
  }
  console.log(`restore: downloaded s3://${Bucket}/${folder} (${keys.length} files)`)
  return dir
}

const [arg, next] = process.argv.slice(2)
const remote = arg === '--s3' ? next ?? '' : arg?.startsWith('s3://') ? arg.slice('s3://'.length) : undefined
if (!arg || remote === '') fail('usage: npm run restore -- <backup folder> | s3://<backup name or latest> | --s3 <backup name or latest>')
const source = remote === undefined ? arg : await downloadFromS3(remote).catch(error => fail(`download from S3 failed: ${error.message}`))
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

let integrity
try {
  const check = new Database(backupDb, { readonly: true, fileMustExist: true })
  integrity = check.pragma('integrity_check', { simple: true })
  check.close()
}
catch (error) {
  // Not an SQLite database at all.
  integrity = error.message
}
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
