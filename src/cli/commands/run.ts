import { appendFile } from 'node:fs/promises'
import path from 'node:path'
import { requiredList } from '../../api/required.js'
import { runConformance } from '../../api/run-conformance.js'
import { messageOf } from '../../core/errors.js'
import type { RunObserver, RunReport, StoreInfo } from '../../core/types.js'
import { runFailed } from '../../core/verdict.js'
import { type ReporterName, reporters } from '../../reporters/index.js'
import type { Interrupts } from '../interrupts.js'
import { type CliIo, EXIT } from '../io.js'
import { badOption } from '../option.js'
import type { RunFlags } from '../options.js'
import { reportFile, writeReportFile } from '../output.js'
import { reportOutputs } from '../report-outputs.js'

/** `store-conformance <store>`: the suite on one store, the report where asked, the gate as the exit code. */
export async function run(store: string, flags: RunFlags, io: CliIo, interrupts: Interrupts): Promise<number> {
  const outputs = reportOutputs(flags)
  // Every file is checked (and its directory made) before the run, so a bad path costs nothing.
  const files = await Promise.all(
    outputs.files.map(async (entry) => ({
      ...entry,
      file: await reportFile(io.cwd, entry.file, entry.flag, flags.force),
    })),
  )
  // Machine output to stdout means no progress noise on the terminal either.
  const progress: RunObserver = outputs.stdout.includes('tty') ? reporters.tty({ progress: io.stderr }) : {}
  const { only, skip, allowClear, timeoutMs, ttlGranularityMs, backendUrl, faults } = flags
  const report = await runConformance({
    store,
    only,
    skip,
    allowClear,
    timeoutMs,
    ttlGranularityMs,
    backendUrl,
    faults,
    cwd: io.cwd,
    require: requiredList(flags.require),
    signal: interrupts.signal,
    onRunStart: (start) => {
      interrupts.leftBehind = leftBehind(start.info)
      if (flags.verbose && start.info?.namespace) {
        io.stderr.write(`store-conformance: ${start.store} writes in ${interrupts.leftBehind}\n`)
      }
      progress.onRunStart?.(start)
    },
    onCheckResult: progress.onCheckResult,
  })
  if (interrupts.exitCode !== undefined) io.stderr.write(`store-conformance: ${cleanupLine(report)}\n`)
  const gate = flags.strict ? 'recommended' : 'required'
  const terminal = Boolean(io.stdout.isTTY)
  const color = terminal && !('NO_COLOR' in process.env)
  const render = (name: ReporterName, onTerminal: boolean) =>
    reporters[name]({}).render(report, {
      gate,
      color: name === 'tty' && onTerminal && color,
      verbose: flags.verbose,
      columns: name === 'tty' && onTerminal && terminal ? io.stdout.columns : undefined,
    })
  // The log first: a file that cannot be written must not cost the user the results.
  for (const name of outputs.stdout) io.stdout.write(render(name, true))
  for (const { reporter, file, flag } of files) {
    await writeReportFile(file, render(reporter, false), flag)
    io.stdout.write(`report written to ${path.relative(io.cwd, file) || file}\n`)
  }
  if (outputs.jobSummary) await appendJobSummary(outputs.jobSummary, render('markdown', false))
  return runFailed(report, gate) ? EXIT.fail : EXIT.pass
}

/** GitHub Actions shows what is appended to $GITHUB_STEP_SUMMARY on the run's page. */
async function appendJobSummary(file: string, markdown: string): Promise<void> {
  await appendFile(file, `${markdown}\n`).catch((error: unknown) => {
    throw badOption(`GITHUB_STEP_SUMMARY: cannot append to ${file}: ${messageOf(error)}`)
  })
}

/** What an interrupted run may leave, for a second Ctrl-C: the namespace on its backend. */
function leftBehind(info: StoreInfo | undefined): string {
  if (!info?.namespace) return 'nothing this tool can name (the store keeps its own data)'
  return `${info.namespace}${info.backend ? ` on ${info.backend.kind}` : ''}`
}

/** After an interrupt: what was removed, or what could not be and where it is. */
function cleanupLine(report: RunReport): string {
  const where = report.store.namespace ? ` (${report.store.namespace})` : ''
  if (report.cleanupError) return `interrupted; could not remove what the run wrote${where}: ${report.cleanupError}`
  return `interrupted; removed what the run wrote${where}`
}
