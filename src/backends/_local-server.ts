import { execFile } from 'node:child_process'
import { constants, rmSync } from 'node:fs'
import { access, chown, rm } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { withDeadline } from '../core/deadline.js'
import { ConformanceError, messageOf } from '../core/errors.js'
import { clearTimeout, setTimeout } from '../core/timers.js'
import { continueTree, killTree, processTree, signalEach, stopTree } from './_process-tree.js'
import { type GuardedProcess, type RunAs, type ServerGuard, spawnGuard } from './_server-guard.js'
import { ownedTempDir } from './_temp-dirs.js'
import { freePort } from './free-port.js'
import type { Backend, ServerControl, ServerSpec } from './types.js'

/** The default start budget, preparing the directory included; a spec whose init takes longer sets its own. */
const START_TIMEOUT_MS = 10_000
/** How long a signalled server's processes may take to stop, continue or go before it is an error. */
const SIGNAL_TIMEOUT_MS = 5000

type Binary = NonNullable<ServerSpec['binary']>

/** Whether `command` (a name looked up on PATH, or an absolute path) is an executable. */
export async function onPath(command: string): Promise<boolean> {
  if (path.isAbsolute(command)) return executable(command)
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (await executable(path.join(dir, command))) return true
  }
  return false
}

function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  )
}

/**
 * Starts the spec's server binary on a free loopback port with a temp directory of its own
 * (prepared by the spec's init, when it has one), waits until it answers a ping, and returns a
 * handle that stops it and removes the directory, and whose `control` pauses, kills and restarts
 * it. A server that will not start is an error within the spec's start budget, never a hang.
 */
export async function startLocalServer(spec: ServerSpec): Promise<Backend> {
  const binary = spec.binary
  if (!binary) throw new Error(`${spec.kind} has no local server binary`)
  const timeoutMs = binary.startTimeoutMs ?? START_TIMEOUT_MS
  const deadline = Date.now() + timeoutMs
  const user = await runAsUser(binary)
  const dir = await ownedTempDir(spec.kind)
  // The server's user writes its files here; this process, root, removes them all the same.
  if (user) await chown(dir, user.uid, user.gid)
  const port = await freePort()
  const guard = spawnGuard(dir, user)
  const forget = trackForExit(guard, dir)
  let stopping: Promise<void> | undefined
  const stop = () => {
    stopping ??= guard
      .close()
      .then(() => rm(dir, { recursive: true, force: true }))
      .finally(forget)
    return stopping
  }
  const server = serverProcess(spec, binary, guard, port, dir)
  let version: string
  try {
    await binary.init?.(dir, (command, args, input) => runStep(guard, command, args, input, deadline))
    version = await server.start(deadline)
  } catch (error) {
    await stop()
    throw startFailed(binary, port, timeoutMs, error)
  }
  const control = serverControl(server, () => server.start(Date.now() + timeoutMs), binary, port, timeoutMs)
  return {
    kind: spec.kind,
    url: binary.url(port),
    source: 'local-binary',
    version,
    // The running server's: a restart changes it, a kill leaves none.
    get pid() {
      const now = server.current()
      return now?.running() ? now.pid : undefined
    },
    dir,
    control,
    stop,
  }
}

function startFailed(binary: Binary, port: number, timeoutMs: number, error: unknown): ConformanceError {
  return new ConformanceError(
    'SC_BACKEND_START_FAILED',
    `${binary.command} did not start on port ${port} within ${timeoutMs / 1000} s: ${messageOf(error)}`,
    { cause: error },
  )
}

/**
 * Who the server runs as: itself, unless this process is root and the spec names a user for that
 * (PostgreSQL refuses to run as root).
 */
async function runAsUser(binary: Binary): Promise<RunAs | undefined> {
  const user = binary.rootRunsAs
  if (!user || process.getuid?.() !== 0) return undefined
  const id = async (flag: string) => Number((await promisify(execFile)('id', [flag, user])).stdout.trim())
  try {
    return { uid: await id('-u'), gid: await id('-g') }
  } catch (error) {
    throw new ConformanceError(
      'SC_BACKEND_START_FAILED',
      `${binary.command} will not run as root, and there is no user ${user} to run it as: ${messageOf(error)}`,
      { cause: error },
    )
  }
}

/** One preparation step (initdb, mariadb-install-db) under the guard, to its end or the deadline. */
async function runStep(
  guard: ServerGuard,
  command: string,
  args: readonly string[],
  input: string | undefined,
  deadline: number,
): Promise<void> {
  const name = path.basename(command)
  const mark = guard.mark()
  const step = await guard.run(command, args, input === undefined ? {} : { input })
  if (step.pid === undefined) throw new Error(`${name} could not be started: ${lastLine(guard.output(mark))}`)
  let late = false
  const pid = step.pid
  const timer = setTimeout(
    () => {
      late = true
      signalEach(processTree(pid), 'SIGKILL')
    },
    Math.max(0, deadline - Date.now()),
  )
  const { code, signal } = await step.exited
  clearTimeout(timer)
  if (late) throw new Error(`${name} did not finish in time`)
  if (code !== 0) throw new Error(`${name} failed (${code ?? signal}): ${lastLine(guard.output(mark))}`)
}

interface ServerProcess {
  /** The process running now, or the last one; undefined before the first start. */
  current(): GuardedProcess | undefined
  /** Starts the server and pings it until it answers (its version) or the deadline; kills it if it does not. */
  start(deadline: number): Promise<string>
}

/** The server as a process the guard starts, on the same port and in the same directory each time. */
function serverProcess(spec: ServerSpec, binary: Binary, guard: ServerGuard, port: number, dir: string): ServerProcess {
  let current: GuardedProcess | undefined
  const url = binary.url(port)
  return {
    current: () => current,
    async start(deadline) {
      const options = binary.stopSignal ? { stopSignal: binary.stopSignal } : {}
      const mark = guard.mark()
      const started = await guard.run(binary.command, binary.args(port, dir), options)
      current = started
      let lastError: unknown
      while (Date.now() < deadline && started.running()) {
        try {
          return await withDeadline(spec.ping(url, 1000), 1500, 'no answer within 1 s')
        } catch (error) {
          lastError = error
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
      }
      await killed(started)
      throw new Error(lastLine(guard.output(mark)) || (lastError === undefined ? 'no answer' : messageOf(lastError)))
    },
  }
}

/** SIGKILL to the server and all it forked; resolves once they are gone. */
async function killed(server: GuardedProcess): Promise<void> {
  const pid = server.pid
  if (pid === undefined || !server.running()) return
  await killTree(pid, SIGNAL_TIMEOUT_MS)
  await withDeadline(server.exited, SIGNAL_TIMEOUT_MS, `process ${pid} did not exit within ${SIGNAL_TIMEOUT_MS} ms`)
}

/** Real signals to the server and every process it forked: the process-level faults. */
function serverControl(
  server: ServerProcess,
  start: () => Promise<string>,
  binary: Binary,
  port: number,
  timeoutMs: number,
): ServerControl {
  const running = (what: string): number => {
    const now = server.current()
    if (now?.pid === undefined || !now.running())
      throw new Error(`cannot ${what} ${binary.command} on port ${port}: it is not running (killed, not restarted)`)
    return now.pid
  }
  const control: ServerControl = {
    keepsData: binary.keepsData ?? false,
    async pause() {
      await stopTree(running('pause'), SIGNAL_TIMEOUT_MS)
    },
    async resume() {
      await continueTree(running('resume'), SIGNAL_TIMEOUT_MS)
    },
    async kill() {
      const now = server.current()
      if (now) await killed(now)
    },
    async restart() {
      await control.kill()
      await start().catch((error: unknown) => {
        throw startFailed(binary, port, timeoutMs, error)
      })
    },
  }
  return control
}

/** The last non-empty line of a server's output. */
function lastLine(output: string): string {
  return output.trim().split('\n').pop()?.trim() ?? ''
}

/**
 * Servers still running when the process exits (an early process.exit) are killed and their
 * directories removed synchronously, so none outlives the tool; a SIGKILL that skips 'exit'
 * hooks is the guard's to handle (_server-guard.ts).
 */
const started = new Set<() => void>()
let hooked = false

function trackForExit(guard: ServerGuard, dir: string): () => void {
  const abandon = () => {
    guard.abandon()
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  }
  started.add(abandon)
  if (!hooked) {
    hooked = true
    process.once('exit', () => {
      for (const each of started) {
        try {
          each()
        } catch {
          // The guard, which outlives this process by a moment, removes what a dying server kept.
        }
      }
    })
  }
  return () => void started.delete(abandon)
}
