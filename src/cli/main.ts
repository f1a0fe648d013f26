import { constants } from 'node:fs'
import { access, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { BACKEND_KINDS } from '../../adapters/_backends/backend.js'
import { ConformanceError, isConformanceError, messageOf } from '../errors.js'
import type { RunObserver } from '../types.js'
import { tool } from '../version.js'
import { parseCli, type CliBenchOptions, type CliMatrixOptions, type CliRunOptions } from './parse-cli.js'

export interface CliIo {
  readonly stdout: NodeJS.WriteStream
  readonly stderr: NodeJS.WriteStream
  readonly cwd: string
}

/** Exit codes: 0 nothing failed at the gate, 1 something did, 2 bad usage or a store that cannot be loaded. */
export const EXIT = { pass: 0, fail: 1, usage: 2 } as const

/**
 * The CLI: parse, run through the programmatic API, report, return the exit code. Known errors
 * print one line; a stack only with --verbose.
 */
export async function runCli(argv: readonly string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }): Promise<number> {
  const verbose = argv.includes('--verbose')
  try {
    const command = parseCli(argv, tool.version)
    switch (command.kind) {
      case 'help':
      case 'version':
        io.stdout.write(command.text)
        return EXIT.pass
      case 'list':
        return await listChecks(command, io)
      case 'run':
        return await run(command.options, io)
      case 'matrix':
        return await matrix(command.options, io)
      case 'bench':
        return await bench(command.options, io, argv)
    }
  } catch (error) {
    const message = messageOf(error)
    const code = isConformanceError(error) ? ` [${error.code}]` : ''
    io.stderr.write(`store-conformance: error: ${message}${code}\n`)
    if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`)
    else if (!isConformanceError(error)) io.stderr.write('store-conformance: rerun with --verbose for the stack trace\n')
    return EXIT.usage
  }
}

async function listChecks(command: { reporter: string; only: string[]; skip: string[] }, io: CliIo): Promise<number> {
  const [{ checks }, { selectChecks }, catalogue] = await Promise.all([
    import('../../suites/index.js'),
    import('../select-checks.js'),
    import('../catalogue.js'),
  ])
  const selected = checks.filter(selectChecks(checks, command.only, command.skip))
  const render = command.reporter === 'json' ? catalogue.catalogueJson : command.reporter === 'markdown' ? catalogue.catalogueMarkdown : catalogue.catalogueText
  io.stdout.write(`${render(selected).trimEnd()}\n`)
  return EXIT.pass
}

async function run(options: CliRunOptions, io: CliIo): Promise<number> {
  // Find out now, not after the run, that the report cannot be written.
  const out = options.out === undefined ? undefined : path.resolve(io.cwd, options.out)
  if (out) await access(path.dirname(out), constants.W_OK).catch(() => {
    throw new ConformanceError('SC_BAD_OPTION', `--out: cannot write to ${path.dirname(out)}`)
  })
  const [{ runConformance, runFailed }, { reporters }, { renderTty }] = await Promise.all([
    import('../run-conformance.js'),
    import('../reporters/index.js'),
    import('../reporters/tty.js'),
  ])
  const reporter = reporters[options.reporter]({ progress: io.stderr })
  // Machine output to stdout means no progress noise on the terminal either.
  const observer: RunObserver = options.reporter === 'tty' || options.out ? reporters.tty({ progress: io.stderr }) : {}
  const { builtinAdapterNames, loadAdapter } = await import('../../adapters/index.js')
  const { isRequired, requiredList } = await import('../matrix/required.js')
  const builtin = builtinAdapterNames.includes(options.store) ? await loadAdapter(options.store) : undefined
  const required = requiredList(options.require)
  if (options.url !== undefined && !builtin?.backend) {
    throw new ConformanceError('SC_BAD_OPTION', `--url applies only to a built-in store with a backend (${BACKEND_KINDS.join(', ')}), not ${options.store}`)
  }
  const report = await runConformance({
    store: options.store,
    require: builtin ? isRequired(required, builtin.name, builtin.backend) : false,
    ...(options.url === undefined ? {} : { backendUrl: options.url }),
    only: options.only,
    skip: options.skip,
    timeoutMs: options.timeoutMs,
    allowClear: options.allowClear,
    cwd: io.cwd,
    ...(options.ttlGranularityMs === undefined ? {} : { ttlGranularityMs: options.ttlGranularityMs }),
    ...(observer.onRunStart ? { onRunStart: observer.onRunStart } : {}),
    ...(observer.onCheckResult ? { onCheckResult: observer.onCheckResult } : {}),
  })
  const color = Boolean(io.stdout.isTTY) && !('NO_COLOR' in process.env)
  if (out) {
    await writeFile(out, reporter.render(report, { gate: options.gate, color: false })).catch((error: unknown) => {
      throw new ConformanceError('SC_BAD_OPTION', `--out: cannot write ${out}: ${(error as Error).message}`)
    })
    io.stdout.write(renderTty(report, { gate: options.gate, color }))
    io.stdout.write(`report written to ${path.relative(io.cwd, out) || out}\n`)
  } else {
    io.stdout.write(reporter.render(report, { gate: options.gate, color: options.reporter === 'tty' && color }))
  }
  return runFailed(report, options.gate) ? EXIT.fail : EXIT.pass
}

async function matrix(options: CliMatrixOptions, io: CliIo): Promise<number> {
  const [{ runMatrix }, { matrixJson, matrixMarkdown }, { requiredList }, { runFailed }] = await Promise.all([
    import('../matrix/run-matrix.js'),
    import('../matrix/render-matrix.js'),
    import('../matrix/required.js'),
    import('../run-conformance.js'),
  ])
  const required = requiredList(options.require)
  const outDir = await outputDirectory(io, options.outDir, '--out-dir')
  const result = await runMatrix({
    stores: options.stores,
    require: required,
    timeoutMs: options.timeoutMs,
    onStoreDone: (report) => {
      const { store, summary } = report
      const line = store.unavailable
        ? `${store.name}: unavailable${store.required ? ' (required)' : ''}: ${store.unavailable}`
        : `${store.name}: ${summary.passed} passed, ${summary.failed} failed, ${summary.warned} warned, ${summary.skipped} skipped`
      io.stdout.write(`${line}\n`)
    },
  })
  const command = ['store-conformance matrix', ...options.stores].join(' ')
  await writeFile(path.join(outDir, 'conformance-matrix.md'), matrixMarkdown(result, command))
  await writeFile(path.join(outDir, 'conformance-matrix.json'), matrixJson(result))
  io.stdout.write(`matrix written to ${path.relative(io.cwd, outDir) || '.'}/conformance-matrix.{md,json}\n`)
  const errored = result.reports.filter((report) => report.store.error)
  for (const report of errored) io.stderr.write(`store-conformance: ${report.store.name}: ${report.store.error}\n`)
  if (errored.length > 0) return EXIT.usage
  const missing = result.reports.filter((report) => report.store.unavailable && runFailed(report))
  if (missing.length > 0) {
    io.stderr.write(`store-conformance: required backend unavailable: ${missing.map((report) => report.store.name).join(', ')}\n`)
    return EXIT.fail
  }
  return EXIT.pass
}

async function bench(options: CliBenchOptions, io: CliIo, argv: readonly string[]): Promise<number> {
  const [{ runBench }, { benchMarkdown }, { benchHtml }, { PAYLOAD_BYTES }, { benchJson }, { parseMixes }, compare, { assertBuiltinNames }] = await Promise.all([
    import('../../bench/run-bench.js'),
    import('../../bench/render-markdown.js'),
    import('../../bench/render-html.js'),
    import('../../bench/payloads.js'),
    import('../../bench/render-json.js'),
    import('../../bench/mix.js'),
    import('../../bench/compare.js'),
    import('../../adapters/index.js'),
  ])
  const { compareBench, comparisonMarkdown, parseBaseline } = compare
  assertBuiltinNames(options.stores)
  const sizes = Object.keys(PAYLOAD_BYTES)
  const unknownSizes = options.payloads.filter((size) => !sizes.includes(size))
  if (unknownSizes.length > 0) throw new ConformanceError('SC_BAD_OPTION', `--payloads: unknown size ${unknownSizes.join(', ')} (use ${sizes.join(', ')})`)
  const mixes = parseMixes(options.mixes)
  // Read the baseline before measuring anything: a bad file should not cost a whole run.
  const baselineFile = options.baseline === undefined ? undefined : path.resolve(io.cwd, options.baseline)
  const baseline = baselineFile
    ? parseBaseline(
        await readFile(baselineFile, 'utf8').catch(() => {
          throw new ConformanceError('SC_BAD_OPTION', `--baseline: cannot read ${baselineFile}`)
        }),
        options.baseline as string,
      )
    : undefined
  const outDir = await outputDirectory(io, options.outDir, '--out')
  const progress = io.stderr.isTTY ? io.stderr : undefined
  const report = await runBench({
    stores: options.stores,
    // --quick: two runs of 20 ms (too few for the gate to call anything significant) at one payload.
    ...(options.runs !== undefined ? { runs: options.runs } : options.quick ? { runs: 2 } : {}),
    ...(options.timeMs !== undefined ? { timeMs: options.timeMs } : options.quick ? { timeMs: 20 } : {}),
    ...(options.payloads.length > 0 ? { payloads: options.payloads as (keyof typeof PAYLOAD_BYTES)[] } : options.quick ? { payloads: ['4KB' as const] } : {}),
    ...(options.concurrency.length > 0 ? { concurrency: options.concurrency } : {}),
    ...(mixes ? { mixes } : {}),
    ...(options.growth.length > 0 ? { growth: options.growth } : {}),
    onProgress: (message, done, total) => progress?.write(`\r\x1b[2K[${done}/${total}] ${message}`),
  })
  progress?.write('\r\x1b[2K')
  // The command as given (less --out, which is where, not what), so a report says how to regenerate it.
  const command = ['store-conformance', ...withoutOut(argv)].join(' ')
  // The measurements are saved before anything else can go wrong with them.
  await writeFile(path.join(outDir, 'bench.json'), benchJson(report))
  await writeFile(path.join(outDir, 'bench.html'), benchHtml(report))
  const comparisons = baseline ? compareBench(baseline, report) : []
  const markdown = benchMarkdown(report, command) + (baseline ? `\n${comparisonMarkdown(comparisons)}` : '')
  await writeFile(path.join(outDir, 'bench.md'), markdown)
  io.stdout.write(markdown)
  io.stdout.write(`\nbench written to ${path.relative(io.cwd, outDir) || '.'}/bench.{json,md,html}\n`)
  if (report.failures.length > 0) {
    const failed = new Set(report.failures.map((failure) => failure.store))
    io.stderr.write(`store-conformance: ${report.failures.length} measurement(s) failed (${[...failed].join(', ')}): see "Measurements that failed" in bench.md\n`)
  }
  const noBaseline = report.stores.filter((store) => store.baselineError)
  for (const store of noBaseline) io.stderr.write(`store-conformance: ${store.name}: the raw baseline failed to open: ${store.baselineError}\n`)
  const regressed = comparisons.some((entry) => entry.comparison.verdict === 'regression')
  return regressed || report.failures.length > 0 || noBaseline.length > 0 ? EXIT.fail : EXIT.pass
}

function withoutOut(argv: readonly string[]): string[] {
  return argv.filter((arg, index) => !arg.startsWith('--out') && argv[index - 1] !== '--out' && arg !== '--verbose')
}

/** Resolves and creates an output directory before any work, so a bad one costs nothing. */
async function outputDirectory(io: CliIo, dir: string, flag: string): Promise<string> {
  const resolved = path.resolve(io.cwd, dir)
  await mkdir(resolved, { recursive: true }).catch(() => {
    throw new ConformanceError('SC_BAD_OPTION', `${flag}: cannot create ${resolved}`)
  })
  return resolved
}
