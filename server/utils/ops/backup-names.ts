// A backup's name is its UTC time of creation, with the colons a file name may not hold replaced:
// 2026-01-05T00-00-00Z. Local folders and S3 prefixes are named alike.
const NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z$/

export const backupName = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')

export function nameToDate(name: string): Date | undefined {
  const m = NAME.exec(name)
  return m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : undefined
}
