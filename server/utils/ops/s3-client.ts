// The S3-compatible store that backups are copied to (BACKUP_S3_*). Path-style addressing and checksums
// only where S3 requires them, so MinIO, Ceph, s3rver and AWS itself all accept the requests.
import { S3Client } from '@aws-sdk/client-s3'
import { config } from '../core/config'

export interface S3Store {
  client: S3Client
  bucket: string
  /** Key prefix ending in '/', or ''. */
  prefix: string
}

const REQUIRED = {
  endpoint: 'BACKUP_S3_ENDPOINT',
  bucket: 'BACKUP_S3_BUCKET',
  accessKeyId: 'BACKUP_S3_ACCESS_KEY_ID',
  secretAccessKey: 'BACKUP_S3_SECRET_ACCESS_KEY',
} as const

let store: S3Store | undefined

/** The configured store; throws, naming the variables, when the configuration is incomplete. */
export function s3Store(): S3Store {
  if (store) return store
  const s3 = config().backupS3
  if (!s3) throw new Error('off-site backups are not configured (BACKUP_S3_*)')
  const missing = (Object.keys(REQUIRED) as (keyof typeof REQUIRED)[]).filter(k => !s3[k]).map(k => REQUIRED[k])
  if (missing.length) throw new Error(`${missing.join(', ')} not set`)
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId!, secretAccessKey: s3.secretAccessKey! },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
  store = { client, bucket: s3.bucket!, prefix: s3.prefix }
  return store
}
