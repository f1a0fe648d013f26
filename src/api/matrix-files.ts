import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { MatrixReport } from '../core/types.js'
import { matrixFormats } from '../reporters/index.js'

/** Where `matrix` writes its reports when not told otherwise: the published ones live there. */
export const DEFAULT_MATRIX_DIR = 'reports'

/** The files a matrix run writes, and the format of each. */
const MATRIX_FILES = { 'conformance-matrix.md': 'markdown', 'conformance-matrix.json': 'json' } as const

/** Writes the matrix as Markdown and JSON into `dir`; returns the paths written. */
export async function writeMatrixReports(
  matrix: MatrixReport,
  options: { dir: string; command: string },
): Promise<string[]> {
  await mkdir(options.dir, { recursive: true })
  const written: string[] = []
  for (const [name, format] of Object.entries(MATRIX_FILES)) {
    const file = path.join(options.dir, name)
    await writeFile(file, matrixFormats[format](matrix, { command: options.command }))
    written.push(file)
  }
  return written
}
