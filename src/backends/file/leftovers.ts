import { existsSync } from 'node:fs'

/** The directory, if it is still there. */
export async function directoryLeft(_url: string, dir: string): Promise<string[]> {
  return existsSync(dir) ? [dir] : []
}
