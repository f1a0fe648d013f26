/**
 * The store's process: loads the store module and runs the checks, reporting every step to the
 * parent (run-isolated.ts), which owns the verdict. Started by launch.ts; never imported.
 */
import { writeSync } from 'node:fs'
import { codeOf, messageOf } from '../../core/errors.js'
import { runInProcess } from '../run-in-process.js'
import { LineSplitter, REPORT_FD, signer } from './channel.js'
import { BEAT_INTERVAL_MS, type ChildMessage, type ChildRunOptions, EXIT_AFTER_PARENT_MS } from './protocol.js'

// Captured before the store module loads, so a store that replaces them changes nothing here.
const write = writeSync
const exit = process.exit.bind(process)
const rss = process.memoryUsage.rss.bind(process.memoryUsage)
const { setInterval, setTimeout, clearInterval } = globalThis
const parse = JSON.parse

const interrupt = new AbortController()
let post: ((message: ChildMessage) => void) | undefined

// The parent writes one JSON line per command on stdin: `start` once, then perhaps `abort`.
const commands = new LineSplitter(
  (line) => {
    let command: { type?: unknown; key?: unknown; options?: unknown; reason?: unknown }
    try {
      command = parse(line)
    } catch {
      return
    }
    if (command.type === 'start' && !post && typeof command.key === 'string') {
      const sign = signer(command.key)
      post = (message) => {
        try {
          write(REPORT_FD, sign(message))
        } catch {
          // The parent is gone: nobody to tell.
        }
      }
      void run(post, command.options as ChildRunOptions)
    } else if (command.type === 'abort') {
      interrupt.abort(String(command.reason))
    }
  },
  () => {},
)
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk: string) => commands.push(chunk))
// The parent died (even by SIGKILL), its end of stdin closed: stop, remove what the run wrote,
// and go, with a deadline in case the store does not let go.
process.stdin.once('end', () => {
  interrupt.abort('the parent process went away')
  if (!post) exit(1)
  setTimeout(() => exit(1), EXIT_AFTER_PARENT_MS)
})

async function run(send: (message: ChildMessage) => void, options: ChildRunOptions): Promise<void> {
  const beat = setInterval(() => send({ type: 'beat', rssBytes: rss() }), BEAT_INTERVAL_MS)
  let calls = 0
  try {
    const report = await runInProcess({
      ...options,
      isolate: false,
      signal: interrupt.signal,
      onRunStart: ({ info }) => send({ type: 'ready', info }),
      onCheckStart: (id) => send({ type: 'check-start', id }),
      onCheckResult: (result) => send({ type: 'result', result }),
      callLog: {
        started(checkId, method) {
          calls += 1
          const n = calls
          send({ type: 'call', n, checkId, method })
          return () => send({ type: 'call-end', n })
        },
      },
    })
    send({ type: 'report', report })
  } catch (error) {
    const stack = error instanceof Error ? error.stack : undefined
    send({ type: 'error', code: codeOf(error) as never, message: messageOf(error), stack })
  }
  clearInterval(beat)
  // The reports were written synchronously: exit now, whatever sockets or timers the store keeps.
  exit(0)
}
