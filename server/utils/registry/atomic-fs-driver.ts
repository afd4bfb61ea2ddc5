// unstorage's fs driver with atomic writes: a value is written to a temporary file and renamed over
// the old one, so a crash mid-write never leaves a half-written models.json.
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Driver } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'

export function atomicFsDriver(opts: { base: string }): Driver {
  const inner = fsDriver(opts)
  const write = async (key: string, value: string | Uint8Array) => {
    const file = join(opts.base, key.replace(/:/g, '/'))
    const tmp = `${file}.tmp-${process.pid}-${Date.now()}`
    await mkdir(dirname(file), { recursive: true })
    await writeFile(tmp, value)
    await rename(tmp, file)
  }
  return { ...inner, name: 'fs-atomic', setItem: write, setItemRaw: write }
}
