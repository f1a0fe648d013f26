import { cac } from 'cac'
import { isReporterName, reporterNames, type ReporterName } from '../reporters/index.js'
import { ConformanceError, messageOf } from '../errors.js'
import { checkGranularity, checkTimeout } from '../limits.js'
import type { Gate } from '../types.js'

export interface CliRunOptions {
  readonly store: string
  readonly only: string[]
  readonly skip: string[]
  readonly reporter: ReporterName
  readonly out: string | undefined
  readonly timeoutMs: number
  readonly gate: Gate
  readonly allowClear: boolean
  readonly ttlGranularityMs: number | undefined
  readonly verbose: boolean
  /** Backend kinds or store names whose unavailability is a failure. */
  readonly require: string[]
  /** Backend URL for a built-in store. */
  readonly url: string | undefined
}

export interface CliMatrixOptions {
  readonly stores: string[]
  readonly outDir: string
  readonly require: string[]
  readonly timeoutMs: number
  readonly verbose: boolean
}

export interface CliBenchOptions {
  readonly stores: string[]
  readonly outDir: string
  readonly quick: boolean
  readonly runs: number | undefined
  readonly timeMs: number | undefined
  readonly payloads: string[]
  readonly concurrency: number[]
  /** Request mixes as given (read-heavy, write-heavy, reads:NN, none); validated by the bench. */
  readonly mixes: string[]
  /** Stored-session counts for the cost-growth measurement; empty when not asked for. */
  readonly growth: number[]
  readonly baseline: string | undefined
  readonly verbose: boolean
}

/** Session counts `--growth` measures at when given no list. */
export const DEFAULT_GROWTH = [1000, 10_000, 100_000] as const

export type CliCommand =
  | { readonly kind: 'run'; readonly options: CliRunOptions }
  | { readonly kind: 'matrix'; readonly options: CliMatrixOptions }
  | { readonly kind: 'bench'; readonly options: CliBenchOptions }
  | { readonly kind: 'list'; readonly reporter: ReporterName; readonly only: string[]; readonly skip: string[] }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'version'; readonly text: string }

/**
 * argv → a command. Nothing here runs a store; bad flags throw ConformanceError('SC_BAD_OPTION').
 * Parsing is cac's (the parser vitest uses): small, typed, and it rejects unknown flags.
 */
export function parseCli(argv: readonly string[], version: string): CliCommand {
  const cli = cac('store-conformance')
  let command: CliCommand | undefined
  let printed = ''
  cli
    .command('[store]', 'Run the conformance suite on a store: a built-in name (memory) or a module path (.js, .cjs, .mjs, .ts)')
    .option('--only <ids>', 'Run only these check ids or groups (comma-separated, repeatable)')
    .option('--skip <ids>', 'Skip these check ids or groups (comma-separated, repeatable)')
    .option('--list', 'Print the check catalogue and exit')
    .option('--reporter <name>', `Output format: ${reporterNames.join(' | ')}`, { default: 'tty' })
    .option('--out <file>', 'Write the report to a file (the human summary still goes to stdout)')
    .option('--timeout <ms>', 'Per-call timeout in ms', { default: 3000 })
    .option('--strict', 'Fail on recommended checks too, not only required ones')
    .option('--allow-clear', 'Run clear() even if the store held sessions before the run')
    .option('--ttl-granularity <ms>', 'Override the store\'s TTL granularity in ms (0 = milliseconds, 1000 = seconds)')
    .option('--verbose', 'Print stack traces for errors')
    .option('--require <backends>', 'Fail instead of skipping when these backends are unavailable (redis,postgres,… or all; also STORE_CONFORMANCE_REQUIRE)')
    .option('--url <url>', 'Backend URL for a built-in store (overrides REDIS_URL, DATABASE_URL, …)')
    .option('--all', 'Run every built-in store and write the matrix (same as the matrix command)')
    .option('--out-dir <dir>', 'With --all: where conformance-matrix.md and .json go (default: reports)')
    .example('store-conformance memory')
    .example('store-conformance ./my-store.ts --reporter junit --out conformance.xml')
    .action((store: string | undefined, flags: Record<string, unknown>) => {
      const reporter = String(flags.reporter)
      if (!isReporterName(reporter)) throw badOption(`--reporter must be one of ${reporterNames.join(', ')}, got "${reporter}"`)
      const only = list(flags.only)
      const skip = list(flags.skip)
      if (flags.list) {
        command = { kind: 'list', reporter, only, skip }
        return
      }
      if (flags.all) {
        command = matrixCommand(store ? [store] : [], flags)
        return
      }
      if (!store) throw badOption('missing store: give a built-in name (memory) or a module path, e.g. store-conformance memory')
      command = {
        kind: 'run',
        options: {
          store,
          only,
          skip,
          reporter,
          out: flags.out === undefined ? undefined : String(flags.out),
          timeoutMs: positive(flags.timeout, '--timeout'),
          gate: flags.strict ? 'recommended' : 'required',
          allowClear: Boolean(flags.allowClear),
          ttlGranularityMs: flags.ttlGranularity === undefined ? undefined : nonNegative(flags.ttlGranularity, '--ttl-granularity'),
          verbose: Boolean(flags.verbose),
          require: list(flags.require),
          url: flags.url === undefined ? undefined : String(flags.url),
        },
      }
    })
  cli
    .command('matrix [...stores]', 'Run every built-in store (or the ones named) and write the conformance matrix')
    .option('--out-dir <dir>', 'Where conformance-matrix.md and .json go', { default: 'reports' })
    .option('--require <backends>', 'Fail when these backends are unavailable (also STORE_CONFORMANCE_REQUIRE)')
    .option('--timeout <ms>', 'Per-call timeout in ms', { default: 3000 })
    .option('--verbose', 'Print stack traces for errors')
    .example('store-conformance matrix')
    .example('store-conformance matrix redis postgres --require redis,postgres')
    .action((stores: string[], flags: Record<string, unknown>) => {
      command = matrixCommand(stores, flags)
    })
  cli
    .command('bench [...stores]', 'Measure store latency and throughput (built-in stores; default: memory)')
    .option('--out <dir>', 'Where bench.json, bench.md and bench.html go', { default: '.store-conformance' })
    .option('--quick', 'Two runs of 20 ms at the 4KB payload only: less precise, about five times faster')
    .option('--runs <n>', 'Separate runs per measurement, target order rotated (default 4)')
    .option('--time <ms>', 'Measuring time per measurement (default 30)')
    .option('--payloads <sizes>', 'Session sizes: 256B, 4KB, 64KB (default all)')
    .option('--concurrency <levels>', 'Calls in flight (default 1,64)')
    .option('--mix <mixes>', 'Request mixes: read-heavy, write-heavy, reads:<percent>, or none (default read-heavy,write-heavy)')
    .option('--growth [counts]', `Also measure get/length/all with this many sessions stored (default ${DEFAULT_GROWTH.join(',')})`)
    .option('--baseline <file>', 'Compare with a previous bench.json; exit 1 on a significant regression over 10 %')
    .option('--verbose', 'Print stack traces for errors')
    .example('store-conformance bench memory file redis --out reports/bench')
    .example('store-conformance bench memory --runs 5 --baseline main/bench.json')
    .example('store-conformance bench memory redis --growth 1000,10000 --mix reads:95')
    .action((stores: string[], flags: Record<string, unknown>) => {
      command = {
        kind: 'bench',
        options: {
          stores: stores.length > 0 ? [...stores] : ['memory'],
          outDir: String(flags.out),
          quick: Boolean(flags.quick),
          runs: flags.runs === undefined ? undefined : count(flags.runs, '--runs'),
          timeMs: flags.time === undefined ? undefined : positive(flags.time, '--time'),
          payloads: list(flags.payloads),
          concurrency: list(flags.concurrency).map((level) => count(level, '--concurrency')),
          mixes: list(flags.mix),
          growth: flags.growth === undefined ? [] : flags.growth === true ? [...DEFAULT_GROWTH] : list(flags.growth).map((size) => count(size, '--growth', 10_000_000)),
          baseline: flags.baseline === undefined ? undefined : String(flags.baseline),
          verbose: Boolean(flags.verbose),
        },
      }
    })
  cli.help()
  cli.version(version)

  // cac prints help and version itself; capture them so the caller decides where they go.
  const log = console.log
  console.log = (...args: unknown[]) => void (printed += `${args.join(' ')}\n`)
  try {
    const parsed = cli.parse(['node', 'store-conformance', ...argv], { run: false })
    if (parsed.options.help) return { kind: 'help', text: printed }
    if (parsed.options.version) return { kind: 'version', text: printed }
    cli.runMatchedCommand()
  } catch (error) {
    if (error instanceof ConformanceError) throw error
    throw badOption(messageOf(error))
  } finally {
    console.log = log
  }
  if (!command) throw badOption('nothing to do (see --help)')
  return command
}

function matrixCommand(stores: readonly string[], flags: Record<string, unknown>): CliCommand {
  return {
    kind: 'matrix',
    options: {
      stores: [...stores],
      outDir: String(flags.outDir ?? 'reports'),
      require: list(flags.require),
      timeoutMs: positive(flags.timeout ?? 3000, '--timeout'),
      verbose: Boolean(flags.verbose),
    },
  }
}

function list(value: unknown): string[] {
  if (value === undefined || value === true) return []
  return ([] as unknown[])
    .concat(value)
    .flatMap((entry) => String(entry).split(','))
    .map((entry) => entry.trim())
    .filter(Boolean)
}

function flagNumber(value: unknown, flag: string): number {
  const number = Number(value)
  if (String(value).trim() === '' || Number.isNaN(number)) throw badOption(`${flag} must be a number of milliseconds, got "${String(value)}"`)
  return number
}
const positive = (value: unknown, flag: string) => checkTimeout(flagNumber(value, flag), 'SC_BAD_OPTION', flag)
const nonNegative = (value: unknown, flag: string) => checkGranularity(flagNumber(value, flag), 'SC_BAD_OPTION', flag)

function count(value: unknown, flag: string, max = 10_000): number {
  const number = Number(value)
  if (!Number.isInteger(number) || number < 1 || number > max) throw badOption(`${flag} must be a whole number from 1 to ${max}, got "${String(value)}"`)
  return number
}

const badOption = (message: string) => new ConformanceError('SC_BAD_OPTION', message)
