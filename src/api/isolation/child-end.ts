import { boundText } from '../../core/bounded.js'
import type { RunProblem } from '../../core/types.js'
import type { ChildState } from './child-state.js'

/** How the store's process ended. */
export type ChildEnd =
  | {
      readonly kind: 'exited'
      readonly code: number | null
      readonly signal: NodeJS.Signals | null
      /** The tail of its output: V8 prints why it died there. */
      readonly output: string
    }
  /**
   * Killed by the parent: no heartbeat for `forMs` (its event loop never came back), no progress
   * for `forMs` (a call that never ends, timers replaced), or still loading after `forMs`.
   */
  | {
      readonly kind: 'hung'
      readonly why: 'silent' | 'no-progress' | 'loading'
      readonly forMs: number
    }
  /** Killed by the parent: it held more than twice its heap cap. */
  | { readonly kind: 'memory' }
  /** Killed by the parent: interrupted, and cleanup did not finish in time. */
  | { readonly kind: 'interrupt-timeout' }

const OUT_OF_HEAP = /heap out of memory|Reached heap limit|Allocation failed/i

/** The run-level problem an early end of the store's process is reported as. */
export function describeEnd(end: ChildEnd, state: ChildState, memoryLimitMb: number): RunProblem {
  // The call that was running is asked now, once, from what the child last said.
  const running = state.runningCall()
  const during = running ? ` during ${running}` : ''
  switch (end.kind) {
    case 'hung': {
      const seconds = Math.round(end.forMs / 1000)
      const what = {
        silent: `stopped answering${during}: its event loop was blocked for ${seconds} s`,
        'no-progress': `made no progress for ${seconds} s${during} (a call that never ended, or replaced timers)`,
        loading: `had not loaded the store after ${seconds} s`,
      }[end.why]
      return { kind: 'store-hung', message: `the store's process ${what}, so it was killed` }
    }
    case 'memory':
      return {
        kind: 'out-of-memory',
        message: `the store's process held more than ${2 * memoryLimitMb} MB${during}, so it was killed`,
      }
    case 'interrupt-timeout':
      return {
        kind: 'interrupted',
        message: `interrupted, and the store's process did not finish cleaning up${during}; it was killed`,
      }
    case 'exited': {
      if (OUT_OF_HEAP.test(end.output)) {
        return {
          kind: 'out-of-memory',
          message: `the store's process ran out of its ${memoryLimitMb} MB heap${during}`,
        }
      }
      const how = end.signal ? `was killed by ${end.signal}` : `exited with code ${end.code}`
      const hint = end.code === 0 ? ' (the store called process.exit?)' : ''
      const finished = state.report === undefined ? ' before the run finished' : ''
      const said = errorLine(end.output)
      const output = said ? `; its last output: ${said}` : ''
      return { kind: 'store-exited', message: `the store's process ${how}${during}${finished}${hint}${output}` }
    }
  }
}

/** The last line a process printed that names an error, bounded: often why it died (stack frames are not). */
function errorLine(output: string): string | undefined {
  const lines = output.split('\n').map((line) => line.trim())
  const line = lines.filter((entry) => /\b(error|fatal|exception)\b/i.test(entry)).pop()
  return line ? boundText(line, 300) : undefined
}
