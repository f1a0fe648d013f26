import { constants, rmSync } from 'node:fs'
import { access, rm } from 'node:fs/promises'
import path from 'node:path'
import { withDeadline } from '../core/deadline.js'
import { ConformanceError } from '../core/errors.js'
import { spawnGuarded } from './_server-guard.js'
import { ownedTempDir } from './_temp-dirs.js'
import { freePort } from './free-port.js'
import type { Backend, ServerSpec } from './types.js'

const START_TIMEOUT_MS = 10_000

/** Whether `command` is an executable on PATH. */
export async function onPath(command: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    if (
      await access(path.join(dir, command), constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return true
  }
  return false
}

/**
 * Starts the spec's server binary on a free loopback port with a temp directory of its own,
 * waits until it answers a ping, and returns a handle that stops it and removes the directory.
 * A server that will not start is an error within START_TIMEOUT_MS, never a hang.
 */
export async function startLocalServer(spec: ServerSpec): Promise<Backend> {
  const binary = spec.binary
  if (!binary) throw new Error(`${spec.kind} has no local server binary`)
  const dir = await ownedTempDir(spec.kind)
  const port = await freePort()
  const { guard: child, serverPid } = spawnGuarded(binary.command, binary.args(port, dir), dir)
  // Servers log to stdout or stderr; keep the tail of both for the error message.
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-2000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('error', () => {})
  const running = () => child.exitCode === null && child.signalCode === null
  const pid = await serverPid
  const forget = trackForExit([pid, child.pid], dir)

  const stop = async () => {
    if (running()) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        killQuietly(pid)
      }, 3000)
      await exited
      clearTimeout(timer)
    }
    await rm(dir, { recursive: true, force: true })
    forget()
  }

  const url = binary.url(port)
  const deadline = Date.now() + START_TIMEOUT_MS
  let lastError: unknown
  while (Date.now() < deadline) {
    if (!running()) break
    try {
      const version = await withDeadline(spec.ping(url, 1000), 1500, 'no answer within 1 s')
      return { kind: spec.kind, url, source: 'local-binary', version, pid, dir, stop }
    } catch (error) {
      lastError = error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  await stop()
  const detail = output.trim().split('\n').pop() || (lastError instanceof Error ? lastError.message : 'no answer')
  throw new ConformanceError(
    'SC_BACKEND_START_FAILED',
    `${binary.command} did not start on port ${port} within ${START_TIMEOUT_MS / 1000} s: ${detail}`,
  )
}

/**
 * Servers still running when the process exits (an early process.exit) are killed and their
 * directories removed synchronously, so none outlives the tool; a SIGKILL that skips 'exit'
 * hooks is the guard's to handle (_server-guard.ts).
 */
const started = new Map<readonly (number | undefined)[], string>()
let hooked = false

function trackForExit(pids: readonly (number | undefined)[], dir: string): () => void {
  started.set(pids, dir)
  if (!hooked) {
    hooked = true
    process.once('exit', () => {
      for (const [running, directory] of started) {
        for (const pid of running) killQuietly(pid)
        rmSync(directory, { recursive: true, force: true })
      }
    })
  }
  return () => void started.delete(pids)
}

/** SIGKILL to a process that may already be gone. */
function killQuietly(pid: number | undefined): void {
  try {
    if (pid !== undefined) process.kill(pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}
