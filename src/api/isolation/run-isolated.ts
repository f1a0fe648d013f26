import type { ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'
import { boundText } from '../../core/bounded.js'
import { ConformanceError, ERROR_CODES, type ErrorCode } from '../../core/errors.js'
import { checkGranularity, checkTimeout, DEFAULT_TIMEOUT_MS } from '../../core/limits.js'
import { selectChecks } from '../../core/select-checks.js'
import type { RunProblem, RunReport } from '../../core/types.js'
import { isRequired } from '../required.js'
import type { RunOptions } from '../run-options.js'
import { LineSplitter, REPORT_FD, verifier } from './channel.js'
import { type ChildEnd, describeEnd } from './child-end.js'
import { ChildState } from './child-state.js'
import { DEFAULT_MEMORY_LIMIT_MB, launchChild } from './launch.js'
import type { ChildRunOptions, ParentMessage } from './protocol.js'
import { finishedReport, partialReport } from './reports.js'

/** How often the parent looks at the child's heartbeat and memory. */
const WATCH_INTERVAL_MS = 500
/**
 * Silence allowed while the store module loads: compiling it (TypeScript through jiti, a large
 * dependency tree) holds the event loop, for long on a busy machine. Once the store is created,
 * the heartbeat must keep up within `hangMs`.
 */
const LOAD_SILENCE_MS = 120_000
/** Loading and creating the store may take this long in all: a backend's first provisioning takes up to 180 s. */
const LOAD_DEADLINE_MS = 200_000
/** An interrupted child gets this long to remove what the run wrote (adapters close in steps of 10 s). */
const INTERRUPT_DEADLINE_MS = 70_000
/** Output of the store's process kept for diagnosis (the tail: a crash message comes last). */
const OUTPUT_TAIL_CHARS = 8000
/** How long the output may take to arrive once the store's process has exited. */
const OUTPUT_GRACE_MS = 500

/**
 * Runs the suite on a store given by name or path in a process of its own, and builds the report
 * here from what that process sent, checked against this process's catalogue. The store cannot
 * end the run early, exhaust this process's memory or forge its verdict: if its process exits,
 * crashes, runs out of memory or stops answering, the report says so, names the call that was
 * running, and the run fails.
 */
export async function runIsolated(options: RunOptions & { readonly store: string }): Promise<RunReport> {
  const startedAt = new Date()
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB
  // Started first, so its start-up (Node, the runner) overlaps what this side loads; bad options
  // still fail before it is told to load the store, and it is killed.
  const child = launchChild(memoryLimitMb)
  const prepared = await prepare(options).catch((error: unknown) => {
    killGroup(child)
    throw error
  })
  const { catalogue, isSelected, timeoutMs, required } = prepared
  const state = new ChildState(new Map(catalogue.map((check) => [check.id, check])), {
    onReady: (info) => options.onRunStart?.({ store: options.store, checks: catalogue.filter(isSelected), info }),
    onCheckStart: options.onCheckStart,
    onCheckResult: options.onCheckResult,
  })
  const end = await superviseChild(child, state, childOptions(options, timeoutMs), {
    hangMs: Math.max(10_000, 3 * timeoutMs),
    progressMs: Math.max(60_000, 12 * timeoutMs),
    memoryLimitMb,
    signal: options.signal,
  })
  const context = { store: options.store, checks: catalogue, isSelected, startedAt, state, required }
  if (state.loadError && !state.ready) throw loadError(state.loadError)
  const protocol: RunProblem[] = state.violations.map((message) => ({
    kind: 'protocol',
    message: `the store's process broke the harness protocol: ${message}; its results cannot be trusted`,
  }))
  if (state.loadError) {
    // The runner itself failed once checks were under way: what finished stands, the run fails.
    const message = `the run stopped early: ${state.loadError.message}`
    return partialReport(context, [...protocol, { kind: 'run-aborted', message }])
  }
  if (state.report !== undefined && end.kind === 'exited' && end.code === 0) {
    return finishedReport(context, state.report, protocol)
  }
  const ended = describeEnd(end, state, memoryLimitMb)
  if (!state.ready) {
    throw new ConformanceError(
      'SC_MODULE_LOAD_FAILED',
      `${options.store}: ${ended.message} while the store was loading`,
    )
  }
  return partialReport(context, [...protocol, ended])
}

interface Supervision {
  readonly hangMs: number
  /** Longer than any check may take (its own watchdog), so only a stuck run reaches it. */
  readonly progressMs: number
  readonly memoryLimitMb: number
  readonly signal: AbortSignal | undefined
}

/** Starts the run in the child, feeds its reports to `state`, and resolves with how it ended. */
function superviseChild(
  child: ChildProcess,
  state: ChildState,
  options: ChildRunOptions,
  watch: Supervision,
): Promise<ChildEnd> {
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const verify = verifier(state.key)
  const reports = new LineSplitter(
    (line) => {
      const verified = verify(line)
      if ('message' in verified) state.receive(verified.message)
      else state.violation(verified.error)
    },
    () => state.violation('an overlong line arrived on the report pipe'),
  )
  const pipe = child.stdio[REPORT_FD] as Readable | null
  pipe?.setEncoding('utf8')
  pipe?.on('data', (chunk: string) => reports.push(chunk))
  child.stdin?.on('error', () => {})
  return new Promise((resolve) => {
    let killedFor: ChildEnd | undefined
    const kill = (reason: ChildEnd) => {
      killedFor ??= reason
      killGroup(child)
    }
    const watchdog = setInterval(() => {
      const now = Date.now()
      const silentMs = now - state.lastHeardAt
      const stillMs = now - state.lastProgressAt
      const running = state.runningCall()
      if (silentMs > (state.ready ? watch.hangMs : LOAD_SILENCE_MS))
        kill({ kind: 'hung', why: 'silent', forMs: silentMs, running })
      else if (state.ready && stillMs > watch.progressMs)
        kill({ kind: 'hung', why: 'no-progress', forMs: stillMs, running })
      else if (!state.ready && now - state.startedAt > LOAD_DEADLINE_MS)
        kill({ kind: 'hung', why: 'loading', forMs: now - state.startedAt, running })
      // The heap cap covers JavaScript objects; buffers count here.
      else if (state.rssBytes > 2 * watch.memoryLimitMb * 1024 * 1024) kill({ kind: 'memory', running })
    }, WATCH_INTERVAL_MS)
    let deadline: NodeJS.Timeout | undefined
    const onAbort = () => {
      send(child, { type: 'abort', reason: String(watch.signal?.reason ?? 'interrupted') })
      deadline = setTimeout(
        () => kill({ kind: 'interrupt-timeout', running: state.runningCall() }),
        INTERRUPT_DEADLINE_MS,
      )
    }
    watch.signal?.addEventListener('abort', onAbort, { once: true })
    const finish = (end: ChildEnd) => {
      clearInterval(watchdog)
      clearTimeout(deadline)
      watch.signal?.removeEventListener('abort', onAbort)
      resolve(killedFor ?? end)
    }
    child.once('exit', (code, signal) => {
      // Its last output (V8's out-of-memory message) may still be in the pipe: wait for it, briefly,
      // as a process it started may hold the pipe open forever.
      const ended = () => finish({ kind: 'exited', code, signal, output, running: state.runningCall() })
      const grace = setTimeout(ended, OUTPUT_GRACE_MS)
      child.once('close', () => {
        clearTimeout(grace)
        ended()
      })
    })
    // The process could not be started at all.
    child.once('error', (error) => {
      finish({ kind: 'exited', code: null, signal: null, output: error.message, running: undefined })
    })
    send(child, { type: 'start', key: state.key, options })
    if (watch.signal?.aborted) onAbort()
  })
}

/**
 * Kills the child and everything it started (a server it provisioned shares its process group);
 * the servers' temp directories are removed by the next run (backends/_temp-dirs.ts).
 */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

function send(child: ChildProcess, message: ParentMessage): void {
  if (child.stdin?.writable) child.stdin.write(`${JSON.stringify(message)}\n`)
}

function childOptions(options: RunOptions & { readonly store: string }, timeoutMs: number): ChildRunOptions {
  return {
    store: options.store,
    cwd: options.cwd ?? process.cwd(),
    backendUrl: options.backendUrl,
    only: options.only,
    skip: options.skip,
    timeoutMs,
    ttlGranularityMs: options.ttlGranularityMs,
    allowClear: options.allowClear,
    require: options.require,
  }
}

/** The child's load error, raised here as the same ConformanceError it would be in process. */
function loadError(error: NonNullable<ChildState['loadError']>): ConformanceError {
  const known = (ERROR_CODES as readonly unknown[]).includes(error.code)
  const code = (known ? error.code : 'SC_MODULE_LOAD_FAILED') as ErrorCode
  const raised = new ConformanceError(code, boundText(error.message, 4000))
  if (error.stack) raised.stack = error.stack
  return raised
}

/** The options checked, and what this side needs loaded (the catalogue, the built-ins). */
async function prepare(options: RunOptions & { readonly store: string }) {
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'SC_BAD_OPTION', 'timeoutMs')
  if (options.ttlGranularityMs !== undefined)
    checkGranularity(options.ttlGranularityMs, 'SC_BAD_OPTION', 'ttlGranularityMs')
  const [{ checks: catalogue }, { backendOf, builtinAdapterNames }] = await Promise.all([
    import('../../suites/index.js'),
    import('../../backends/index.js'),
  ])
  const isSelected = selectChecks(catalogue, options.only, options.skip)
  // Only a built-in store's backend may be unavailable; whether that fails the run is decided here.
  const { require = false, store } = options
  const required =
    typeof require === 'boolean'
      ? require
      : builtinAdapterNames.includes(store) && isRequired(require, store, backendOf(store)?.name)
  return { catalogue, isSelected, timeoutMs, required }
}
