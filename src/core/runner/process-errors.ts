import type { StrayError } from './check-scope.js'

type Handler = (kind: StrayError['kind'], error: unknown) => void

const handlers = new Set<Handler>()
let saved:
  | { uncaughtException: NodeJS.UncaughtExceptionListener[]; unhandledRejection: NodeJS.UnhandledRejectionListener[] }
  | undefined

const onException = (error: unknown) => dispatch('uncaught exception', error)
const onRejection = (error: unknown) => dispatch('unhandled rejection', error)

function dispatch(kind: StrayError['kind'], error: unknown): void {
  for (const handler of handlers) handler(kind, error)
}

/**
 * Routes uncaught exceptions and unhandled rejections to `handler` while a run is active, so a
 * store that throws from a timer fails a check instead of killing the runner. Listeners installed
 * before the first run (a test runner's) are set aside and restored when the last run ends;
 * concurrent runs share one installation.
 */
export function captureProcessErrors(handler: Handler): () => void {
  if (handlers.size === 0) {
    saved = {
      uncaughtException: process.listeners('uncaughtException'),
      unhandledRejection: process.listeners('unhandledRejection'),
    }
    process.removeAllListeners('uncaughtException')
    process.removeAllListeners('unhandledRejection')
    process.on('uncaughtException', onException)
    process.on('unhandledRejection', onRejection)
  }
  handlers.add(handler)

  return () => {
    handlers.delete(handler)
    if (handlers.size > 0 || !saved) return
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
    for (const listener of saved.uncaughtException) process.on('uncaughtException', listener)
    for (const listener of saved.unhandledRejection) process.on('unhandledRejection', listener)
    saved = undefined
  }
}
