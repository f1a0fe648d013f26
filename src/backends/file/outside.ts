import type { Dirent } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** At most this many entries are looked at under the run's own directory (it holds a run's few files). */
const MAX_WALKED = 10_000

/**
 * Paths outside the store's directory whose names contain `marker`: what a session id with `../`
 * in it may have written. Each ancestor of `storeDir` up to the root and the temp directory are
 * listed (not walked), and `runDir` (the run's own directory, which holds `storeDir`) is walked,
 * except inside `storeDir` itself.
 */
export async function namesOutside(storeDir: string, runDir: string, marker: string): Promise<string[]> {
  const store = path.resolve(storeDir)
  const found = new Set<string>()
  const listed = new Set<string>()
  const list = async (dir: string) => {
    if (listed.has(dir)) return
    listed.add(dir)
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (name.includes(marker)) found.add(path.join(dir, name))
    }
  }
  for (let dir = path.dirname(store); ; dir = path.dirname(dir)) {
    await list(dir)
    if (path.dirname(dir) === dir) break
  }
  await list(path.resolve(tmpdir()))
  await walk(path.resolve(runDir), store, marker, found)
  return [...found].sort()
}

/** Every entry under `root` whose name contains `marker`, `skip` left out; symbolic links are not followed. */
async function walk(root: string, skip: string, marker: string, found: Set<string>): Promise<void> {
  const pending = [root]
  let walked = 0
  for (let dir = pending.pop(); dir !== undefined && walked < MAX_WALKED; dir = pending.pop()) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [] as Dirent[])
    for (const entry of entries) {
      walked += 1
      const full = path.join(dir, entry.name)
      if (full === skip) continue
      if (entry.name.includes(marker)) found.add(full)
      if (entry.isDirectory()) pending.push(full)
    }
  }
}
