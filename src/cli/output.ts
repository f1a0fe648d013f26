import { constants } from 'node:fs'
import { access, lstat, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { writeFileAtomic } from '../api/write-file-atomic.js'
import { messageOf } from '../core/errors.js'
import { badOption } from './option.js'

/** Resolves and creates an output directory before any work, so a bad one costs nothing. */
export async function outputDirectory(cwd: string, dir: string, flag: string): Promise<string> {
  const resolved = path.resolve(cwd, dir)
  await mkdir(resolved, { recursive: true }).catch(() => {
    throw badOption(`${flag}: cannot create ${resolved}`)
  })
  return resolved
}

/**
 * Resolves a report file and finds out now, not after the run, that it cannot be written: a
 * directory, a device or a FIFO is refused, and so is a symbolic link unless `force` (the link is
 * then replaced, its target never written); missing parent directories are created.
 */
export async function reportFile(cwd: string, file: string, flag: string, force = false): Promise<string> {
  const resolved = path.resolve(cwd, file)
  const existing = await lstat(resolved).catch(() => undefined)
  if (existing?.isDirectory()) throw badOption(`${flag}: ${file} is a directory; give a file name`)
  if (existing?.isSymbolicLink() && !force) {
    throw badOption(
      `${flag}: ${file} is a symbolic link; pass --force to replace the link (its target is never written)`,
    )
  }
  // A device or a FIFO (/dev/null, as root) would be replaced by the report: never.
  if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
    throw badOption(`${flag}: ${file} is not a regular file (a device, a FIFO or a socket)`)
  }
  const dir = path.dirname(resolved)
  await mkdir(dir, { recursive: true })
    .then(() => access(dir, constants.W_OK))
    .catch(() => {
      throw badOption(`${flag}: cannot write to ${dir}`)
    })
  return resolved
}

export async function writeReportFile(file: string, text: string, flag: string): Promise<void> {
  await writeFileAtomic(file, text).catch((error: unknown) => {
    throw badOption(`${flag}: cannot write ${file}: ${messageOf(error)}`)
  })
}

/** Files of one name in one directory, as `dir/bench.{json,md,html}`. */
export function filesLabel(cwd: string, files: readonly string[]): string {
  const [first = ''] = files
  const extensions = files.map((file) => path.extname(file).slice(1)).join(',')
  return `${relative(cwd, path.dirname(first))}/${path.parse(first).name}.{${extensions}}`
}

/** A path as the user would type it from `cwd`. */
export function relative(cwd: string, target: string): string {
  return path.relative(cwd, target) || '.'
}
