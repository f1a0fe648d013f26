import { clearTimeout, setTimeout } from './timers.js'
/**
 * `work`, or a rejection once `ms` have passed without it settling: with an Error carrying
 * `timeout` when that is a message, or with what `timeout()` returns.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, timeout: string | (() => Error)): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(typeof timeout === 'string' ? new Error(timeout) : timeout()), ms)
  })
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}
