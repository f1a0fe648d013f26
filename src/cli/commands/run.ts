import path from 'node:path'
import { requiredList } from '../../api/required.js'
import { runConformance } from '../../api/run-conformance.js'
import type { RunObserver, RunReport, StoreInfo } from '../../core/types.js'
import { runFailed } from '../../core/verdict.js'
import { type RenderOptions, reporters } from '../../reporters/index.js'
import type { Interrupts } from '../interrupts.js'
import { type CliIo, EXIT } from '../io.js'
import type { RunFlags } from '../options.js'
import { reportFile, writeReportFile } from '../output.js'

/** `store-conformance <store>`: the suite on one store, the report where asked, the gate as the exit code. */
export async function run(store: string, flags: RunFlags, io: CliIo, interrupts: Interrupts): Promise<number> {
  const out = flags.out === undefined ? undefined : await reportFile(io.cwd, flags.out, '--out', flags.force)
  // Machine output to stdout means no progress noise on the terminal either.
  const progress: RunObserver = flags.reporter === 'tty' || out ? reporters.tty({ progress: io.stderr }) : {}
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
  const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in process.env)
  const render = (name: RunFlags['reporter'], options: RenderOptions) => reporters[name]({}).render(report, options)
  if (out) {
    await writeReportFile(out, render(flags.reporter, { gate, color: false }), '--out')
    io.stdout.write(render('tty', { gate, color, verbose: flags.verbose }))
    io.stdout.write(`report written to ${path.relative(io.cwd, out) || out}\n`)
  } else {
    io.stdout.write(render(flags.reporter, { gate, color: flags.reporter === 'tty' && color, verbose: flags.verbose }))
  }
  return runFailed(report, gate) ? EXIT.fail : EXIT.pass
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
