import type { MatrixReport } from '../core/types.js'
import { matrixFormats } from '../reporters/index.js'
import { writeFormats } from './write-formats.js'

/** Where `matrix` writes its reports when not told otherwise: the published ones live there. */
export const DEFAULT_MATRIX_DIR = 'reports'

/** Writes the matrix in every format into `dir`; returns the paths written. */
export async function writeMatrixReports(
  matrix: MatrixReport,
  options: { dir: string; command: string },
): Promise<string[]> {
  return (await writeFormats(options.dir, matrixFormats, matrix, { command: options.command })).files
}
