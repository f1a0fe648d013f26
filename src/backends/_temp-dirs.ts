import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

/** Marks a directory as this tool's and names the process that owns it. */
const OWNER_FILE = '.store-conformance-owner'

/**
 * A temp directory `sc-<name>-XXXXXX` owned by this process. The first call first removes the
 * directories of earlier runs whose process is gone (killed, out of memory, SIGKILL): what a run
 * could not remove itself, the next one does. Only directories carrying the owner file are
 * touched, and only when their owner is dead.
 */
export async function ownedTempDir(name: string): Promise<string> {
  swept ??= removeOrphanedDirs()
  await swept
  const dir = await mkdtemp(path.join(tmpdir(), `sc-${name}-`))
  await writeFile(path.join(dir, OWNER_FILE), String(process.pid))
  return dir
}

/** Once per process: the temp directory is read once, however many directories a run makes. */
let swept: Promise<void> | undefined

async function removeOrphanedDirs(): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[])
  await Promise.all(
    entries
      .filter((entry) => entry.startsWith('sc-'))
      .map(async (entry) => {
        const dir = path.join(tmpdir(), entry)
        const owner = Number(await readFile(path.join(dir, OWNER_FILE), 'utf8').catch(() => ''))
        if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) await rm(dir, { recursive: true, force: true })
      }),
  )
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
