import type { Socket } from 'node:net'

/**
 * Closes `socket` with a TCP RST, as a killed server's kernel would, so the peer sees ECONNRESET
 * rather than an orderly FIN. A socket still connecting has sent nothing to reset: it is destroyed.
 * Never throws and never emits 'error' (resetAndDestroy on a closed socket would).
 */
export function resetQuietly(socket: Socket): void {
  if (socket.destroyed) return
  if (socket.connecting) socket.destroy()
  else socket.resetAndDestroy()
}
