import type { BackendFaultControl } from '../core/types.js'
import type { ServerControl } from './types.js'

/**
 * The process-level faults on a server the tool started: stall is SIGSTOP, down is SIGKILL, and
 * heal undoes whichever happened (SIGCONT, or a restart on the same port and directory).
 */
export function signalledFaults(kind: string, control: ServerControl): BackendFaultControl {
  let state: 'up' | 'paused' | 'killed' = 'up'
  return {
    method: `signals to a ${kind} server the tool started (stall: SIGSTOP; down: SIGKILL, then a restart)`,
    downKeepsData: control.keepsData,
    async stall() {
      if (state !== 'up') return
      await control.pause()
      state = 'paused'
    },
    async down() {
      if (state === 'killed') return
      await control.kill()
      state = 'killed'
    },
    async heal() {
      if (state === 'paused') await control.resume()
      if (state === 'killed') await control.restart()
      state = 'up'
    },
  }
}
