/**
 * The store's process: loads the store module and runs the checks, reporting every step to the
 * parent (run-isolated.ts), which owns the verdict. Started by launch.ts; never imported.
 */
import { codeOf, messageOf } from '../../core/errors.js'
import { runInProcess } from '../run-in-process.js'
import { BEAT_INTERVAL_MS, type ChildMessage, type ChildRunOptions, type ParentMessage } from './protocol.js'

// Captured before the store module loads: a store that replaces process.send cannot intercept
// or forge what this process tells its parent.
const send = process.send?.bind(process)
const exit = process.exit.bind(process)
const rss = process.memoryUsage.rss.bind(process.memoryUsage)

type Outgoing = ChildMessage extends infer M ? (M extends ChildMessage ? Omit<M, 'token'> : never) : never

const interrupt = new AbortController()
let running = false

process.on('message', (message: ParentMessage) => {
  if (message.type === 'start' && !running) {
    running = true
    void run(message.token, message.options)
  } else if (message.type === 'abort') {
    interrupt.abort(message.reason)
  }
})
// The parent died (even by SIGKILL): stop, clean up what the run wrote, and go.
process.once('disconnect', () => {
  interrupt.abort('the parent process went away')
  if (!running) exit(1)
})

async function run(token: string, options: ChildRunOptions): Promise<void> {
  const post = (message: Outgoing) => {
    if (process.connected) send?.({ token, ...message })
  }
  const beat = setInterval(() => post({ type: 'beat', rssBytes: rss() }), BEAT_INTERVAL_MS)
  let calls = 0
  try {
    const report = await runInProcess({
      ...options,
      isolate: false,
      signal: interrupt.signal,
      onRunStart: ({ info }) => post({ type: 'ready', info }),
      onCheckStart: (id) => post({ type: 'check-start', id }),
      onCheckResult: (result) => post({ type: 'result', result }),
      callLog: {
        started(checkId, method) {
          calls += 1
          const n = calls
          post({ type: 'call', n, checkId, method })
          return () => post({ type: 'call-end', n })
        },
      },
    })
    post({ type: 'report', report })
  } catch (error) {
    const stack = error instanceof Error ? error.stack : undefined
    post({ type: 'error', code: codeOf(error) as never, message: messageOf(error), stack })
  }
  clearInterval(beat)
  // Exit once the last message is out: a store's open sockets or timers must not keep us alive.
  if (process.connected) send?.({ token, type: 'beat', rssBytes: rss() }, () => exit(0))
  else exit(0)
}
