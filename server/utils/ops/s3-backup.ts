// Off-site copies of backups: a backup folder goes to <prefix><name>/ in the S3 store, then the local
// retention (7 daily, 4 weekly, 12 monthly) is applied there too. Objects whose first path segment is
// not a backup name are never touched.
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { DeleteObjectCommand, paginateListObjectsV2, PutObjectCommand } from '@aws-sdk/client-s3'
import { nameToDate } from './backup-names'
import { backupsToKeep } from './retention'
import { s3Store } from './s3-client'

export interface UploadedBackup {
  bucket: string
  /** Where the backup's files are: <prefix><name>/ */
  prefix: string
  files: string[]
  /** Backups deleted from the store by retention. */
  pruned: string[]
}

export async function uploadBackup(dir: string, name: string, now: Date): Promise<UploadedBackup> {
  const { client, bucket, prefix } = s3Store()
  // The database goes last: a remote backup that has it is complete.
  const files = (await readdir(dir)).sort((a, b) => Number(a === 'gateway.db') - Number(b === 'gateway.db') || a.localeCompare(b))
  for (const file of files) {
    const path = join(dir, file)
    await client.send(new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}${name}/${file}`,
      Body: createReadStream(path),
      ContentLength: (await stat(path)).size,
    }))
  }
  return { bucket, prefix: `${prefix}${name}/`, files, pruned: await pruneRemoteBackups(now) }
}

/** Deletes the remote backups that retention does not keep; returns their names. */
async function pruneRemoteBackups(now: Date): Promise<string[]> {
  const { client, bucket } = s3Store()
  const backups = await remoteBackups()
  const dated = [...backups.keys()].flatMap((name) => {
    const date = nameToDate(name)
    return date && date <= now ? [{ name, date }] : []
  })
  const keep = backupsToKeep(dated.map(b => b.date))
  const pruned = dated.filter(b => !keep.has(b.date.getTime())).map(b => b.name)
  for (const name of pruned) {
    for (const key of backups.get(name)!) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
  }
  return pruned.sort()
}

/** The object keys under the prefix, grouped by their first path segment (the backup's name). */
async function remoteBackups(): Promise<Map<string, string[]>> {
  const { client, bucket, prefix } = s3Store()
  const byName = new Map<string, string[]>()
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
    for (const { Key: key } of page.Contents ?? []) {
      const name = key?.slice(prefix.length).split('/')[0]
      if (key && name) byName.set(name, [...(byName.get(name) ?? []), key])
    }
  }
  return byName
}
