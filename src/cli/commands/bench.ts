import path from 'node:path'
import { benchFailed, failedMeasurements, readBenchBaseline, writeBenchReports } from '../../api/bench-files.js'
import { benchStores } from '../../api/bench-stores.js'
import { runBenchSuite } from '../../api/bench-suite.js'
import { isRequired, requiredList } from '../../api/required.js'
import { backendOf } from '../../backends/index.js'
import { benchSettings } from '../../bench/bench-options.js'
import { benchTerminal } from '../../reporters/bench/terminal.js'
import type { Interrupts } from '../interrupts.js'
import { type CliIo, EXIT } from '../io.js'
import type { BenchFlags } from '../options.js'
import { filesLabel, outputDirectory } from '../output.js'

/**
 * `store-conformance bench`: measure, write bench.{json,md,html}, compare with a baseline. Every
 * input is checked before anything is measured or written; exit 1 on a regression or a failure.
 */
export async function bench(
  stores: readonly string[],
  flags: BenchFlags,
  io: CliIo,
  argv: readonly string[],
  interrupts: Interrupts,
): Promise<number> {
  const { windowMs, targetPct, cellCapMs, payloads, concurrency, mixes, growth, rates, quick, url, timeoutMs } = flags
  const entries = await benchStores(stores, io.cwd, url)
  const measuring = { windowMs, targetPct, cellCapMs, payloads, concurrency, mixes, growth, rates, quick, timeoutMs }
  const options = { stores: entries, url, ...measuring }
  benchSettings(options)
  const required = requiredList(flags.require)
  const baseline =
    flags.baseline === undefined
      ? undefined
      : await readBenchBaseline(path.resolve(io.cwd, flags.baseline), flags.baseline)
  const dir = await outputDirectory(io.cwd, flags.outDir, '--out-dir')
  const progress = io.stderr.isTTY ? io.stderr : undefined
  interrupts.leftBehind =
    "the bench's namespaces (key prefixes sc-<token>, schemas and tables sc_<token>, temp directories)"
  const onProgress = (message: string, done: number, total: number) =>
    progress?.write(`\r\x1b[2K[${done}/${total}] ${message}`)
  const suite = { ...options, specs: stores, cwd: io.cwd, http: flags.http, workers: flags.workers }
  const report = await runBenchSuite({ ...suite, signal: interrupts.signal, onProgress }).catch((error: unknown) => {
    // runBench removed what it wrote before rejecting; an interrupted bench writes no report.
    if (interrupts.exitCode === undefined) throw error
    io.stderr.write('store-conformance: interrupted; removed what the bench wrote\n')
    return undefined
  })
  if (!report) return interrupts.exitCode ?? EXIT.usage
  progress?.write('\r\x1b[2K')
  // The command as given (less --out-dir, which is where, not what), so a report says how to regenerate it.
  const written = await writeBenchReports(report, {
    dir,
    command: ['store-conformance', ...commandOf(argv)].join(' '),
    baseline,
  })
  io.stdout.write(benchTerminal(report, written.comparisons))
  io.stdout.write(`\nbench written to ${filesLabel(io.cwd, written.files)}\n`)
  const failed = failedMeasurements(report)
  if (failed.length > 0) {
    io.stderr.write(
      `store-conformance: ${failed.length} measurement(s) failed (${[...new Set(failed)].join(', ')}): ` +
        'see bench.md\n',
    )
  }
  for (const store of report.stores.filter((entry) => entry.baselineError)) {
    io.stderr.write(`store-conformance: ${store.name}: the raw baseline failed to open: ${store.baselineError}\n`)
  }
  // A bench of stores that were all unavailable measured nothing: not a pass a script could mistake.
  if (report.stores.every((store) => store.unavailable)) {
    const why = report.stores.map((store) => `${store.name}: ${store.unavailable}`).join('; ')
    io.stderr.write(`store-conformance: nothing was measured (${why})\n`)
    return EXIT.fail
  }
  const missing = report.stores.filter(
    (store) => store.unavailable && isRequired(required, store.name, backendOf(store.name)?.name),
  )
  if (missing.length > 0) {
    io.stderr.write(
      `store-conformance: required backend unavailable: ${missing.map((store) => store.name).join(', ')}\n`,
    )
    return EXIT.fail
  }
  return benchFailed(report, written.comparisons) ? EXIT.fail : EXIT.pass
}

/** argv less where the reports go and how chatty the run was, and never a URL (it may hold a password). */
function commandOf(argv: readonly string[]): string[] {
  const dropped = ['--out-dir', '--url']
  return argv.filter(
    (arg, index) =>
      !dropped.some((flag) => arg === flag || arg.startsWith(`${flag}=`) || argv[index - 1] === flag) &&
      arg !== '--verbose',
  )
}
