import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { MatrixReport } from '../core/types.js'
import { matrixFormats } from '../reporters/index.js'

/** Where `matrix` writes its reports when not told otherwise: the published ones live there. */
export const DEFAULT_MATRIX_DIR = 'reports'

/** Writes the matrix in every format into `dir`; returns the paths written. */
export async function writeMatrixReports(
  matrix: MatrixReport,
  options: { dir: string; command: string },
): Promise<string[]> {
  await mkdir(options.dir, { recursive: true })
  const written: string[] = []
  for (const format of Object.values(matrixFormats)) {
    const file = path.join(options.dir, format.file)
    await writeFile(file, format.render(matrix, { command: options.command }))
    written.push(file)
  }
  return written
}
