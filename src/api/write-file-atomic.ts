import { randomBytes } from 'node:crypto'
import { rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Writes `text` to `file` through a new temp file beside it and a rename: a reader (a CI step, a
 * browser) never sees half a report, an interrupted write leaves the old one, and a symbolic link
 * at `file` is replaced, its target never written. (npm's write-file-atomic writes through links,
 * which is what --out must not do.)
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFile(temp, text, { flag: 'wx' })
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}
