import { type ChildProcess, fork } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AppConfig } from '../../bench/http/setups.js'
import type { AppMessage } from './protocol.js'

/** How long an app may take to open its store and listen: a local server may start first. */
const START_TIMEOUT_MS = 60_000
/** How long a stopping app may take to close its store before it is killed. */
const STOP_TIMEOUT_MS = 10_000

/** An app process serving one setup on loopback. */
export interface RunningApp {
  readonly url: string
  readonly pid: number
  /** Disconnects (the app closes its store and exits), then waits; kills it if it does not go. */
  stop(): Promise<void>
}

/** The app process could not start: the line it gave, and whether its backend was unavailable. */
export class AppStartFailed extends Error {
  constructor(
    message: string,
    readonly unavailable: boolean,
  ) {
    super(message)
    this.name = 'AppStartFailed'
  }
}

/**
 * Starts app-process.ts for one setup: its own process (and process group, so a terminal's
 * Ctrl-C reaches only the bench, which stops it), stdout ignored, stderr kept for a crash.
 */
export async function startApp(config: AppConfig): Promise<RunningApp> {
  const self = fileURLToPath(import.meta.url)
  const extension = path.extname(self)
  const entry = path.join(path.dirname(self), `app-process${extension}`)
  // Running from source (this project's own tests): the app needs a TypeScript loader.
  const execArgv = extension === '.ts' ? ['--import', 'tsx'] : []
  const child = fork(entry, [JSON.stringify(config)], {
    execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    detached: true,
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000)
  })
  const exited = once(child, 'exit')
  try {
    const message = await firstMessage(child, exited, () => stderr)
    if (message.type === 'failed') throw new AppStartFailed(message.error, message.unavailable)
    return { url: `http://127.0.0.1:${message.port}`, pid: child.pid as number, stop: () => stopApp(child, exited) }
  } catch (error) {
    await stopApp(child, exited)
    throw error
  }
}

async function firstMessage(
  child: ChildProcess,
  exited: Promise<unknown[]>,
  stderr: () => string,
): Promise<AppMessage> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race<AppMessage>([
      once(child, 'message').then(([message]) => message as AppMessage),
      exited.then(([code, signal]) => {
        const last = stderr().trim().split('\n').at(-1)
        throw new AppStartFailed(
          `the app process exited (${signal ?? code}) before listening${last ? `: ${last}` : ''}`,
          false,
        )
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new AppStartFailed(`the app process did not listen within ${START_TIMEOUT_MS} ms`, false)),
          START_TIMEOUT_MS,
        )
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

async function stopApp(child: ChildProcess, exited: Promise<unknown[]>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  if (child.connected) child.disconnect()
  else child.kill('SIGTERM')
  let timer: NodeJS.Timeout | undefined
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve()
    }, STOP_TIMEOUT_MS)
  })
  await Promise.race([exited, killed])
  clearTimeout(timer)
  await exited
}
