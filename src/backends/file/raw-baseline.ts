import { readFile, rename, rm, unlink, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { isMissError } from '../../core/miss.js'
import { fromJson } from '../_raw-baseline.js'
import { ownedTempDir } from '../_temp-dirs.js'
import type { RawBaseline } from '../types.js'

/**
 * fs.readFile and an atomic write (writeFile to a temporary name, then rename, as
 * session-file-store's write-file-atomic does, so a concurrent read never sees half a file) of
 * JSON files in a temp directory of its own; touch is utimes, the mtime serving as the expiry.
 */
export async function fileBaseline(): Promise<RawBaseline> {
  const dir = await ownedTempDir('raw-file')
  const file = (sid: string) => path.join(dir, `${sid}.json`)
  let writes = 0
  const ignoreMissing = (error: unknown) => {
    if (!isMissError(error)) throw error
  }
  return {
    describes: 'fs.readFile and atomic writeFile + rename of JSON files; touch is utimes (the mtime as expiry)',
    namespace: dir,
    get: async (sid) =>
      fromJson(await readFile(file(sid), 'utf8').catch((error: unknown) => void ignoreMissing(error))),
    set: async (sid, session) => {
      const temporary = `${file(sid)}.${(writes++).toString(36)}.tmp`
      await writeFile(temporary, JSON.stringify(session))
      await rename(temporary, file(sid))
    },
    touch: async (sid) => {
      const now = new Date()
      await utimes(file(sid), now, now).catch(ignoreMissing)
    },
    destroy: (sid) => unlink(file(sid)).catch(ignoreMissing),
    close: () => rm(dir, { recursive: true, force: true }),
  }
}
