import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { Readable } from 'node:stream'
import { clearTimeout, setImmediate, setTimeout } from '../core/timers.js'
import { processTree, signalEach } from './_process-tree.js'

/**
 * A small Node process between this one and the processes it starts in a server's directory (the
 * steps that prepare it, then the server, then the server again after a kill): when this process
 * is gone, however it went (SIGKILL included: its end of the guard's stdin closes), it stops what
 * runs and removes the directory. Linux's PR_SET_PDEATHSIG, which Node does not offer, done with
 * a pipe. One guard serves a directory for its whole life, so a server killed on purpose is not
 * taken for the end of it: the directory goes only when the guard is closed or orphaned.
 *
 * Each line on its stdin is a process to start (JSON); it starts it detached, in a process group of
 * its own, and reports on fd 3 `pid <pid>`, then `exit <code> <signal>`. To stop it sends SIGCONT
 * to it and all it forked (it may be paused), then its stop signal, and SIGKILL to them all after a
 * grace period (the tree from /proc, as in _process-tree.ts: PostgreSQL's backends lead groups of
 * their own). SIGINT is ignored: a Ctrl-C reaches the terminal's whole process group, and this
 * process decides what happens then.
 */
/** How long a process has to stop on its stop signal before it is killed. */
const STOP_GRACE_MS = 3000

const GUARD = `
const { spawn } = require('node:child_process')
const { readdirSync, readFileSync, rmSync, writeSync } = require('node:fs')
const { createInterface } = require('node:readline')
const [dir, ids] = [process.argv[1], JSON.parse(process.argv[2])]
const GRACE_MS = ${STOP_GRACE_MS}
let current
let closing = false
const report = (line) => { try { writeSync(3, line + '\\n') } catch {} }
const send = (pid, signal) => { try { process.kill(pid, signal) } catch {} }
const group = (pid, signal) => send(-pid, signal)
function tree(root) {
  const children = new Map()
  let entries = []
  try { entries = readdirSync('/proc').filter((entry) => /^\\d+$/.test(entry)) } catch {}
  for (const entry of entries) {
    let stat = ''
    try { stat = readFileSync('/proc/' + entry + '/stat', 'utf8') } catch {}
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (parent) children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
  }
  const found = [root]
  for (let index = 0; index < found.length; index++) found.push(...(children.get(found[index]) ?? []))
  return found
}
const signalTree = (root, signal) => { for (const pid of tree(root)) send(pid, signal) }

function run({ command, args, input, stopSignal }) {
  let child
  try {
    const stdin = input === undefined ? 'ignore' : 'pipe'
    child = spawn(command, args, { cwd: dir, detached: true, stdio: [stdin, 'inherit', 'inherit'], ...ids })
  } catch (error) {
    console.error(command + ': ' + error.message)
    return report('exit 127 -')
  }
  const started = { child, stopSignal }
  current = started
  let ended = false
  const end = (code, signal) => {
    if (ended) return
    ended = true
    if (current === started) current = undefined
    clearTimeout(started.timer)
    // What the leader leaves behind (a killed postmaster's backends) goes with it.
    if (child.pid) group(child.pid, 'SIGKILL')
    report('exit ' + (code ?? '-') + ' ' + (signal ?? '-'))
    if (closing) close()
  }
  child.on('error', (error) => { console.error(command + ': ' + error.message); end(127, null) })
  child.on('exit', end)
  if (child.pid) report('pid ' + child.pid)
  child.stdin?.on('error', () => {})
  child.stdin?.end(input)
}

function close() {
  closing = true
  if (current) {
    const { child, stopSignal } = current
    signalTree(child.pid, 'SIGCONT')
    send(child.pid, stopSignal)
    current.timer ??= setTimeout(() => {
      send(child.pid, 'SIGSTOP')
      signalTree(child.pid, 'SIGKILL')
    }, GRACE_MS)
    return
  }
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  } catch (error) {
    console.error('cannot remove ' + dir + ': ' + error.message)
    process.exit(1)
  }
  process.exit(0)
}

const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => { if (!closing && !current) run(JSON.parse(line)) })
lines.on('close', close)
process.on('SIGTERM', close)
process.on('SIGHUP', close)
process.on('SIGINT', () => {})
`

/** Longer than the guard's grace period: a guard that has not ended by then is killed, with what it runs. */
const CLOSE_TIMEOUT_MS = STOP_GRACE_MS + 2000
const OUTPUT_KEPT = 2000

/** The user and group a server runs as (servers that refuse to run as root). */
export interface RunAs {
  readonly uid: number
  readonly gid: number
}

export interface Exit {
  readonly code: number | null
  readonly signal: string | null
}

/** One process the guard started: a server, or a step that prepares its directory. */
export interface GuardedProcess {
  /** Its pid, which is also its process group's id; undefined when it could not be started. */
  readonly pid: number | undefined
  /** Settles once it has exited (at once when it could not be started). */
  readonly exited: Promise<Exit>
  running(): boolean
}

export interface ServerGuard {
  /**
   * Starts `command` in the directory, as the guard's user, leader of a process group of its own;
   * resolves once it runs (or could not be started). One at a time.
   */
  run(
    command: string,
    args: readonly string[],
    options?: { readonly input?: string; readonly stopSignal?: NodeJS.Signals },
  ): Promise<GuardedProcess>
  /**
   * The tail of what the guarded processes printed, stdout and stderr, since `mark` (a count of
   * characters from mark()) if given: the reason a start failed, and not an earlier process's.
   */
  output(since?: number): string
  mark(): number
  /** Stops what runs (SIGCONT, its stop signal, SIGKILL after a grace period), removes the directory, ends. */
  close(): Promise<void>
  /**
   * SIGKILL to what runs, at once: for a process that is exiting and cannot wait. The guard, which
   * sees this process go, removes the directory once what ran there is gone.
   */
  abandon(): void
}

/** Starts a guard for `dir`; what it starts runs as `user`, when given. */
export function spawnGuard(dir: string, user?: RunAs): ServerGuard {
  const guard = spawn(process.execPath, ['-e', GUARD, dir, JSON.stringify(user ?? {})], {
    cwd: dir,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  })
  guard.once('error', () => {})
  guard.stdin?.on('error', () => {})
  let output = ''
  let written = 0
  const keep = (chunk: Buffer) => {
    const text = chunk.toString()
    written += text.length
    output = (output + text).slice(-OUTPUT_KEPT)
  }
  guard.stdout?.on('data', keep)
  guard.stderr?.on('data', keep)
  const alive = () => guard.exitCode === null && guard.signalCode === null

  let current: Tracked | undefined
  let waiting: ((started: Tracked) => void) | undefined
  let closing = false
  const ended = (exit: Exit) => {
    const finished = current ?? tracked(undefined)
    current = undefined
    finished.end(exit)
    waiting?.(finished)
    waiting = undefined
  }
  const reports = guard.stdio[3]
  if (reports instanceof Readable) {
    createInterface({ input: reports }).on('line', (line) => {
      const [kind, first, second] = line.split(' ')
      if (kind === 'pid') {
        current = tracked(Number(first))
        waiting?.(current)
        waiting = undefined
      } else if (kind === 'exit') {
        const exit = { code: first === '-' ? null : Number(first), signal: second === '-' ? null : (second ?? null) }
        // After the output pipes' data of this turn: what the process printed last is in output().
        setImmediate(() => ended(exit))
      }
    })
  }
  const gone = new Promise<void>((resolve) =>
    guard.once('exit', () => {
      // A guard killed from outside leaves what it ran to us.
      if (current?.pid !== undefined) signalEach(processTree(current.pid), 'SIGKILL')
      ended({ code: null, signal: null })
      resolve()
    }),
  )

  const abandon = () => {
    if (current?.pid !== undefined) signalEach(processTree(current.pid), 'SIGKILL')
  }

  return {
    async run(command, args, options = {}) {
      if (waiting || current?.running()) throw new Error(`the guard of ${dir} already runs a process`)
      if (closing || !alive()) return tracked(undefined, { code: null, signal: null })
      const started = new Promise<Tracked>((resolve) => {
        waiting = resolve
      })
      const { input, stopSignal = 'SIGTERM' } = options
      guard.stdin?.write(`${JSON.stringify({ command, args, input, stopSignal })}\n`)
      return started
    },
    output: (since = 0) => output.slice(Math.max(0, output.length - (written - since))),
    mark: () => written,
    async close() {
      closing = true
      guard.stdin?.end()
      const timer = setTimeout(() => {
        abandon()
        guard.kill('SIGKILL')
      }, CLOSE_TIMEOUT_MS)
      await gone
      clearTimeout(timer)
    },
    abandon,
  }
}

interface Tracked extends GuardedProcess {
  end(exit: Exit): void
}

/** A process as the guard reported it: running from its `pid` line until its `exit` line. */
function tracked(pid: number | undefined, exit?: Exit): Tracked {
  let done = exit !== undefined
  let settle: (exit: Exit) => void = () => {}
  const exited = exit ? Promise.resolve(exit) : new Promise<Exit>((resolve) => (settle = resolve))
  return {
    pid,
    exited,
    running: () => !done,
    end(result) {
      done = true
      settle(result)
    },
  }
}
