import { writeMatrixReports } from '../../api/matrix-files.js'
import { requiredList } from '../../api/required.js'
import { matrixProblems, runMatrix } from '../../api/run-matrix.js'
import type { RunReport } from '../../core/types.js'
import { counts } from '../../core/verdict.js'
import type { Interrupts } from '../interrupts.js'
import { type CliIo, EXIT } from '../io.js'
import type { MatrixFlags } from '../options.js'
import { filesLabel, outputDirectory } from '../output.js'

/**
 * `store-conformance matrix`: every built-in store (or the ones named), the matrix written.
 * Exit 2 when a store could not be run at all, 1 when a required backend was missing.
 */
export async function matrix(
  stores: readonly string[],
  flags: MatrixFlags,
  io: CliIo,
  interrupts: Interrupts,
): Promise<number> {
  const required = requiredList(flags.require)
  const dir = await outputDirectory(io.cwd, flags.outDir, '--out-dir')
  const onStoreDone = (report: RunReport) => io.stdout.write(`${progressLine(report)}\n`)
  const { signal } = interrupts
  const { timeoutMs, faults } = flags
  const result = await runMatrix({ stores, require: required, timeoutMs, faults, onStoreDone, signal })
  // An interrupted matrix is not written: reports/ must only ever hold complete ones.
  if (interrupts.exitCode !== undefined) return interrupts.exitCode
  const files = await writeMatrixReports(result, { dir, command: ['store-conformance matrix', ...stores].join(' ') })
  io.stdout.write(`matrix written to ${filesLabel(io.cwd, files)}\n`)
  const { errored, missingRequired } = matrixProblems(result)
  for (const report of errored) io.stderr.write(`store-conformance: ${report.store.name}: ${report.store.error}\n`)
  if (errored.length > 0) return EXIT.usage
  if (missingRequired.length === 0) return EXIT.pass
  const missing = missingRequired.map((report) => report.store.name).join(', ')
  io.stderr.write(`store-conformance: required backend unavailable: ${missing}\n`)
  return EXIT.fail
}

function progressLine({ store, summary }: RunReport): string {
  if (store.unavailable) return `${store.name}: unavailable${store.required ? ' (required)' : ''}: ${store.unavailable}`
  return `${store.name}: ${counts(summary)}`
}
