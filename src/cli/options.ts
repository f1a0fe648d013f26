import { DEFAULT_BENCH_DIR } from '../api/bench-files.js'
import { type CleanOptions, DEFAULT_CLEAN_AGE_MS, MIN_CLEAN_AGE_MS } from '../api/clean.js'
import { DEFAULT_MATRIX_DIR } from '../api/matrix-files.js'
import type { MatrixOptions } from '../api/run-matrix.js'
import type { RunOptions } from '../api/run-options.js'
import {
  assertPayloads,
  type BenchOptions,
  DEFAULT_BENCH_TIMEOUT_MS,
  DEFAULT_CELL_CAP_MS,
  DEFAULT_CONCURRENCY,
  DEFAULT_GROWTH,
  DEFAULT_TARGET_PCT,
  DEFAULT_WINDOW_MS,
  QUICK,
} from '../bench/bench-options.js'
import { MIXES, parseMixes } from '../bench/mix.js'
import { PAYLOAD_BYTES } from '../bench/payloads.js'
import { DEFAULT_TIMEOUT_MS } from '../core/limits.js'
import { isReporterName, type ReporterName, reporterNames } from '../reporters/index.js'
import {
  badOption,
  type CliOption,
  type CliOptions,
  count,
  granularity,
  isSet,
  list,
  milliseconds,
  optionalText,
  textOption,
  timeout,
} from './option.js'

/**
 * What `store-conformance [store]` takes: the API's own options under their API names (the flag
 * is in each declaration), and what only the command line has.
 */
export type RunFlags = Required<Pick<RunOptions, 'only' | 'skip' | 'allowClear'>> &
  Pick<RunOptions, 'timeoutMs' | 'ttlGranularityMs' | 'backendUrl' | 'faults'> & {
    readonly list: boolean
    /** As given; none means the terminal report (and, under GitHub Actions, its annotations). */
    readonly reporter: readonly ReporterName[]
    readonly out: string | undefined
    readonly outJson: string | undefined
    readonly outJunit: string | undefined
    readonly outMarkdown: string | undefined
    readonly force: boolean
    readonly strict: boolean
    readonly verbose: boolean
    /** Backend kinds or store names whose unavailability is a failure (with STORE_CONFORMANCE_REQUIRE). */
    readonly require: string[]
    readonly all: boolean
    readonly outDir: string
  }

/** What `store-conformance matrix` takes. */
export type MatrixFlags = Pick<MatrixOptions, 'timeoutMs' | 'faults'> & {
  readonly require: string[]
  readonly outDir: string
  readonly verbose: boolean
}

/** What `store-conformance bench` takes: the bench's API options under their API names, and where to write. */
export type BenchFlags = Pick<
  BenchOptions,
  | 'windowMs'
  | 'targetPct'
  | 'cellCapMs'
  | 'payloads'
  | 'concurrency'
  | 'mixes'
  | 'growth'
  | 'rates'
  | 'url'
  | 'timeoutMs'
> & {
  readonly quick: boolean
  /** Also the HTTP bench: whole requests to an Express app per setup. */
  readonly http: boolean
  /** Also each server-backed store driven from this many processes at once. */
  readonly workers: number | undefined
  readonly outDir: string
  /** Refused with a pointer to --out-dir: everywhere else --out is a file. */
  readonly out: undefined
  /** Refused with a pointer to the adaptive sampling that replaced them. */
  readonly runs: undefined
  readonly timeMs: undefined
  readonly require: string[]
  readonly baseline: string | undefined
  readonly verbose: boolean
}

// Options more than one command takes, declared once.

const timeoutMs: CliOption<number | undefined> = {
  flag: '--timeout <ms>',
  description: 'Per-call timeout in ms',
  default: DEFAULT_TIMEOUT_MS,
  parse: timeout,
}
const requireBackends: CliOption<string[]> = {
  flag: '--require <backends>',
  description:
    'Fail instead of skipping when these backends are unavailable (redis,postgres,… or all; also ' +
    'STORE_CONFORMANCE_REQUIRE)',
  parse: list,
}
const verbose: CliOption<boolean> = {
  flag: '--verbose',
  description: 'List passing checks too; print stack traces for errors, and where the run writes',
  parse: isSet,
}
const backendUrl: CliOption<string | undefined> = {
  flag: '--url <url>',
  description: 'Backend URL for a built-in store (overrides REDIS_URL, DATABASE_URL, …)',
  parse: optionalText,
}
const matrixDir = textOption('--out-dir <dir>', 'Where conformance-matrix.md and .json go', DEFAULT_MATRIX_DIR)

/** How the fault checks fail a built-in store's backend. */
const faultMethod: CliOption<RunOptions['faults']> = {
  flag: '--faults <process|proxy>',
  description:
    "How the fault checks fail a built-in store's backend: process (signals to a server the tool starts) or " +
    "proxy (a TCP proxy in front of the run's backend); default: process where the server binary is installed",
  parse: (raw, name) => {
    if (raw === undefined) return undefined
    if (raw === 'process' || raw === 'proxy') return raw
    throw badOption(`${name} must be process or proxy, got "${String(raw)}"`)
  },
}

export const runOptions: CliOptions<RunFlags> = {
  only: {
    flag: '--only <ids>',
    description: 'Run only these check ids or groups (comma-separated, repeatable)',
    parse: list,
  },
  skip: {
    flag: '--skip <ids>',
    description: 'Skip these check ids or groups (comma-separated, repeatable)',
    parse: list,
  },
  list: { flag: '--list', description: 'Print the check catalogue and exit', parse: isSet },
  reporter: {
    flag: '--reporter <name>',
    description:
      `Output: ${reporterNames.join(' | ')}; repeat for several (tty, plus github under GitHub Actions, ` +
      'when none is given)',
    default: 'tty',
    parse: (raw, name) => {
      const names = list(raw)
      for (const reporter of names) {
        if (!isReporterName(reporter))
          throw badOption(`${name} must be one of ${reporterNames.join(', ')}, got "${reporter}"`)
      }
      return names as ReporterName[]
    },
  },
  out: {
    flag: '--out <file>',
    description: 'Write the one --reporter json, junit or markdown to this file (the terminal report stays on stdout)',
    parse: optionalText,
  },
  outJson: { flag: '--out-json <file>', description: 'Also write the JSON report to this file', parse: optionalText },
  outJunit: {
    flag: '--out-junit <file>',
    description: 'Also write the JUnit XML report to this file',
    parse: optionalText,
  },
  outMarkdown: {
    flag: '--out-markdown <file>',
    description: 'Also write the Markdown report to this file',
    parse: optionalText,
  },
  force: {
    flag: '--force',
    description: 'Report files may replace a symbolic link (the link is replaced, its target never written)',
    parse: isSet,
  },
  timeoutMs,
  strict: { flag: '--strict', description: 'Fail on recommended checks too, not only required ones', parse: isSet },
  allowClear: {
    flag: '--allow-clear',
    description: 'Run clear() even if the store held sessions before the run',
    parse: isSet,
  },
  ttlGranularityMs: {
    flag: '--ttl-granularity <ms>',
    description: "Override the store's TTL granularity in ms (0 = milliseconds, 1000 = seconds)",
    parse: granularity,
  },
  verbose,
  require: requireBackends,
  faults: faultMethod,
  backendUrl,
  all: {
    flag: '--all',
    description: 'Run every built-in store and write the matrix (same as the matrix command)',
    parse: isSet,
  },
  outDir: { ...matrixDir, description: 'With --all: where conformance-matrix.md and .json go' },
}

export const matrixOptions: CliOptions<MatrixFlags> = {
  outDir: matrixDir,
  faults: faultMethod,
  require: requireBackends,
  timeoutMs,
  verbose,
}

/** What `store-conformance clean` takes. */
export type CleanFlags = Required<Pick<CleanOptions, 'olderThanMs' | 'remove'>> &
  Pick<CleanOptions, 'url'> & {
    readonly verbose: boolean
  }

export const cleanOptions: CliOptions<CleanFlags> = {
  olderThanMs: {
    flag: '--older-than <minutes>',
    description: `Only namespaces made longer ago than this (at least ${MIN_CLEAN_AGE_MS / 60_000})`,
    default: DEFAULT_CLEAN_AGE_MS / 60_000,
    parse: (raw, name) => {
      if (raw === undefined) return DEFAULT_CLEAN_AGE_MS
      const minutes = count(raw, name, 525_600)
      if (minutes * 60_000 < MIN_CLEAN_AGE_MS)
        throw badOption(`${name} must be at least ${MIN_CLEAN_AGE_MS / 60_000} minutes, got ${minutes}`)
      return minutes * 60_000
    },
  },
  remove: { flag: '--yes', description: 'Remove the stale namespaces (without it they are only listed)', parse: isSet },
  url: {
    flag: '--url <url>',
    description: 'The URL of the one backend named (overrides REDIS_URL, …)',
    parse: optionalText,
  },
  verbose,
}

export const benchOptions: CliOptions<BenchFlags> = {
  outDir: textOption('--out-dir <dir>', 'Where bench.json, bench.md and bench.html go', DEFAULT_BENCH_DIR),
  out: {
    flag: '--out <dir>',
    description: 'Renamed --out-dir (the bench writes three files; --out is a file elsewhere)',
    parse: (raw) => {
      if (raw === undefined) return undefined
      throw badOption(`bench writes three files into a directory: use --out-dir ${String(raw)}`)
    },
  },
  url: { ...backendUrl, description: 'Backend URL for the stores named, all on one backend (overrides REDIS_URL, …)' },
  require: requireBackends,
  timeoutMs: {
    flag: '--timeout <ms>',
    description: 'A measurement fails when no store call settles for this long',
    default: DEFAULT_BENCH_TIMEOUT_MS,
    parse: timeout,
  },
  quick: {
    flag: '--quick',
    description:
      `Windows of ${QUICK.windowMs} ms, cells capped at ${QUICK.cellCapMs} ms, the ${QUICK.payloads.join(', ')} ` +
      'payload only: more cells unresolved, about six times faster',
    parse: isSet,
  },
  http: {
    flag: '--http',
    description:
      'Also whole requests over HTTP: an Express app in its own process with no session, cookie-session and ' +
      'express-session on each store, loaded by autocannon',
    parse: isSet,
  },
  workers: {
    flag: '--workers <n>',
    description:
      "Also drive each server-backed store's get-hit, and its raw client's, from n processes at once, beside the " +
      "backend's own load tool (redis-benchmark) on the same server",
    parse: (raw, name) => (raw === undefined ? undefined : count(raw, name, 64)),
  },
  rates: {
    flag: '--rate <per-second>',
    description:
      'Open loop: also offer calls (and with --http, requests) at these constant rates, each timed from when it ' +
      'was due; several rates are a saturation sweep (e.g. 1000,2000,4000,8000)',
    parse: countList(1_000_000),
  },
  targetPct: {
    flag: '--precision <percent>',
    description: 'Sample each cell until its p50s and × raw ratio are known to ±this % (95 % confidence)',
    default: DEFAULT_TARGET_PCT,
    parse: (raw, name) => {
      if (raw === undefined) return undefined
      const percent = Number(raw)
      if (!/^\d+(\.\d+)?$/.test(String(raw).trim()) || percent < 0.5 || percent > 50)
        throw badOption(`${name} must be a percentage from 0.5 to 50, got "${String(raw)}"`)
      return percent
    },
  },
  cellCapMs: {
    flag: '--cell-time <ms>',
    description: 'Longest a cell is sampled before it is reported unresolved, with its intervals',
    default: DEFAULT_CELL_CAP_MS,
    parse: milliseconds,
  },
  windowMs: {
    flag: '--window <ms>',
    description: 'How long one window measures one side of a cell',
    default: DEFAULT_WINDOW_MS,
    parse: milliseconds,
  },
  runs: replacedByAdaptiveSampling('--runs <n>'),
  timeMs: replacedByAdaptiveSampling('--time <ms>'),
  payloads: {
    flag: '--payloads <sizes>',
    description: 'Session sizes',
    default: Object.keys(PAYLOAD_BYTES),
    parse: (raw, name) => {
      const sizes = list(raw)
      assertPayloads(sizes, name)
      return sizes.length > 0 ? sizes : undefined
    },
  },
  concurrency: {
    flag: '--concurrency <levels>',
    description: 'Calls in flight',
    default: DEFAULT_CONCURRENCY,
    parse: countList(),
  },
  mixes: {
    flag: '--mix <mixes>',
    description: 'Request mixes: read-heavy, write-heavy, reads:<percent>, or none',
    default: Object.keys(MIXES),
    parse: (raw) => parseMixes(list(raw)),
  },
  growth: {
    flag: '--growth [counts]',
    description: 'Also measure get/length/all with this many sessions stored',
    default: DEFAULT_GROWTH,
    parse: (raw, name) => {
      if (raw === undefined) return undefined
      return raw === true ? [...DEFAULT_GROWTH] : list(raw).map((size) => count(size, name, 10_000_000))
    },
  },
  baseline: {
    flag: '--baseline <file>',
    description: 'Compare with a previous bench.json; exit 1 on a significant regression over 10 %',
    parse: optionalText,
  },
  verbose,
}

/** A comma-separated list of whole numbers from 1 to `max`; none given is the default. */
function countList(max?: number): CliOption<number[] | undefined>['parse'] {
  return (raw, name) => {
    const values = list(raw).map((value) => count(value, name, max))
    return values.length > 0 ? values : undefined
  }
}

/** An option of the run-count bench, refused with what replaced it. */
function replacedByAdaptiveSampling(flag: string): CliOption<undefined> {
  return {
    flag,
    description: 'Replaced: cells are sampled until steady (--precision, --cell-time, --window)',
    parse: (raw, name) => {
      if (raw === undefined) return undefined
      throw badOption(
        `${name} is gone: the bench samples each cell until its figures are known to ±--precision % ` +
          '(default 5) or for at most --cell-time ms; use those',
      )
    },
  }
}

/** Options every command takes; --version prints only without a command (as cac's does). */
export const GLOBAL_OPTIONS = {
  help: { flag: '-h, --help', description: 'Display this message' },
  version: { flag: '-v, --version', description: 'Display version number' },
} as const

/** A command as the help shows it. */
export interface CommandSpec<Flags> {
  /** As cac takes it: `[store]`, `matrix [...stores]`. */
  readonly usage: string
  readonly description: string
  readonly options: CliOptions<Flags>
  readonly examples: readonly string[]
}

/** Any command, for code that walks them all. */
export type AnyCommandSpec = CommandSpec<Record<string, unknown>>

export const commands = {
  run: {
    usage: '[store]',
    description:
      'Run the conformance suite on a store: a built-in name (memory) or a module path (.js, .cjs, .mjs, .ts)',
    options: runOptions,
    examples: ['store-conformance memory', 'store-conformance ./my-store.ts --reporter junit --out conformance.xml'],
  },
  matrix: {
    usage: 'matrix [...stores]',
    description: 'Run every built-in store (or the ones named) and write the conformance matrix',
    options: matrixOptions,
    examples: ['store-conformance matrix', 'store-conformance matrix redis postgres --require redis,postgres'],
  },
  bench: {
    usage: 'bench [...stores]',
    description: 'Measure store latency and throughput: built-in stores or store modules (default: memory)',
    options: benchOptions,
    examples: [
      'store-conformance bench memory file redis --out-dir reports/bench',
      'store-conformance bench memory --precision 3 --baseline main/bench.json',
      'store-conformance bench memory redis --growth 1000,10000 --mix reads:95',
      'store-conformance bench ./my-store.ts memory --quick',
      'store-conformance bench memory redis --http',
    ],
  },
  clean: {
    usage: 'clean [...backends]',
    description:
      'List what interrupted runs left on shared servers (sc-* keys, sc_* schemas, tables) and, with --yes, remove it',
    options: cleanOptions,
    examples: ['store-conformance clean', 'store-conformance clean redis postgres --older-than 120 --yes'],
  },
} as const satisfies {
  run: CommandSpec<RunFlags>
  matrix: CommandSpec<MatrixFlags>
  bench: CommandSpec<BenchFlags>
  clean: CommandSpec<CleanFlags>
}
