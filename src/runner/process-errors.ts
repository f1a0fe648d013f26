import type { StrayError } from './check-scope.js'

type Handler = (kind: StrayError['kind'], error: unknown) => void

/**
 * Routes uncaught exceptions and unhandled rejections to `handler` for the duration of a run, so
 * a store that throws from a timer fails a check instead of killing the runner. Listeners that
 * were installed before (a test runner's) are set aside and restored afterwards.
 */
export function captureProcessErrors(handler: Handler): () => void {
  const saved = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  }
  process.removeAllListeners('uncaughtException')
  process.removeAllListeners('unhandledRejection')
  const onException = (error: unknown) => handler('uncaught exception', error)
  const onRejection = (error: unknown) => handler('unhandled rejection', error)
  process.on('uncaughtException', onException)
  process.on('unhandledRejection', onRejection)

  return () => {
    process.off('uncaughtException', onException)
    process.off('unhandledRejection', onRejection)
    for (const listener of saved.uncaughtException) process.on('uncaughtException', listener)
    for (const listener of saved.unhandledRejection) process.on('unhandledRejection', listener)
  }
}
