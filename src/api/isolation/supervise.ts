import type { ChildProcess } from 'node:child_process'
import type { Readable } from 'node:stream'
import { LineSplitter, REPORT_FD, verifier } from './channel.js'
import type { ChildEnd } from './child-end.js'
import type { ChildState } from './child-state.js'
import type { ChildRunOptions, ParentMessage } from './protocol.js'

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

export interface Supervision {
  readonly hangMs: number
  /** Longer than any check may take (its own watchdog), so only a stuck run reaches it. */
  readonly progressMs: number
  readonly memoryLimitMb: number
  readonly signal: AbortSignal | undefined
}

/** Starts the run in the child, feeds its reports to `state`, and resolves with how it ended. */
export function superviseChild(
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
      if (silentMs > (state.ready ? watch.hangMs : LOAD_SILENCE_MS))
        kill({ kind: 'hung', why: 'silent', forMs: silentMs })
      else if (state.ready && stillMs > watch.progressMs) kill({ kind: 'hung', why: 'no-progress', forMs: stillMs })
      else if (!state.ready && now - state.startedAt > LOAD_DEADLINE_MS)
        kill({ kind: 'hung', why: 'loading', forMs: now - state.startedAt })
      // The heap cap covers JavaScript objects; buffers count here.
      else if (state.rssBytes > 2 * watch.memoryLimitMb * 1024 * 1024) kill({ kind: 'memory' })
    }, WATCH_INTERVAL_MS)
    let deadline: NodeJS.Timeout | undefined
    const onAbort = () => {
      send(child, { type: 'abort', reason: String(watch.signal?.reason ?? 'interrupted') })
      deadline = setTimeout(() => kill({ kind: 'interrupt-timeout' }), INTERRUPT_DEADLINE_MS)
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
      const ended = () => finish({ kind: 'exited', code, signal, output })
      const grace = setTimeout(ended, OUTPUT_GRACE_MS)
      child.once('close', () => {
        clearTimeout(grace)
        ended()
      })
    })
    // The process could not be started at all.
    child.once('error', (error) => {
      finish({ kind: 'exited', code: null, signal: null, output: error.message })
    })
    send(child, { type: 'start', key: state.key, options })
    if (watch.signal?.aborted) onAbort()
  })
}

/**
 * Kills the child and everything it started (a server it provisioned shares its process group);
 * the servers' temp directories are removed by the next run (backends/_temp-dirs.ts).
 */
export function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

function send(child: ChildProcess, message: ParentMessage): void {
  if (child.stdin?.writable) child.stdin.write(`${JSON.stringify(message)}\n`)
}
