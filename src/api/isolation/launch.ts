import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The store's process gets this much heap unless told otherwise: far above any honest store's need. */
export const DEFAULT_MEMORY_LIMIT_MB = 1024

/**
 * Starts the store's process: child.ts with its own heap cap, in a process group of its own (a
 * terminal's Ctrl-C reaches only the parent, which asks the child to clean up). Its stdin carries
 * the parent's commands, fd 3 its signed reports (channel.ts), stdout and stderr are kept so a
 * crash message can be read.
 *
 * A child process rather than a worker thread, as vitest's default `forks` pool: a store may call
 * process.exit, abort, load a native addon that is not thread-safe or crash outright, and only a
 * process boundary survives all of those; a heap cap and a kill are per process too.
 */
export function launchChild(memoryLimitMb: number): ChildProcess {
  const self = fileURLToPath(import.meta.url)
  const extension = path.extname(self)
  const entry = path.join(path.dirname(self), `child${extension}`)
  const execArgv = [`--max-old-space-size=${memoryLimitMb}`]
  // Running from source (this project's own tests): the child needs a TypeScript loader. tsx
  // (esbuild) starts in a third of jiti's time, and the tests start many children.
  if (extension === '.ts') execArgv.push('--import', 'tsx')
  return spawn(process.execPath, [...execArgv, entry], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true })
}
