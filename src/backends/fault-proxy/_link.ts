import { connect, type Socket } from 'node:net'
import { type Conditions, Direction } from './_direction.js'
import { resetQuietly } from './_reset.js'

/** A TCP address to dial. */
export interface Address {
  readonly host: string
  readonly port: number
}

/**
 * One client connection and its upstream connection, the bytes between them passing through a
 * Direction each way. A FIN is passed on after the bytes before it (both sockets allow half-open,
 * as Redis and PostgreSQL clients expect); an error or abrupt close on one side resets the other,
 * so a refused or reset upstream never leaves the client waiting. Every socket has an 'error'
 * handler: nothing escapes as an uncaught exception.
 */
export class Link {
  /** Settles once both sockets are closed. */
  readonly closed: Promise<void>
  readonly #client: Socket
  readonly #toUpstream: Direction
  #toClient: Direction | undefined
  #upstream: Socket | undefined
  #clientClosed = false
  #upstreamClosed = false
  #done!: () => void

  constructor(
    client: Socket,
    private readonly address: Address,
    private readonly conditions: () => Conditions,
  ) {
    this.closed = new Promise((resolve) => {
      this.#done = resolve
    })
    this.#client = client
    client.setNoDelay(true)
    this.#toUpstream = new Direction(client, conditions)
    watch(
      client,
      () => this.#upstream,
      () => {
        this.#clientClosed = true
        this.#settle()
      },
    )
  }

  /** Dials the upstream, once, unless the client is gone meanwhile. */
  dial(): void {
    if (this.#upstream !== undefined || this.#client.destroyed) return
    const upstream = connect({ host: this.address.host, port: this.address.port, allowHalfOpen: true })
    upstream.setNoDelay(true)
    this.#upstream = upstream
    this.#toClient = new Direction(upstream, this.conditions)
    watch(
      upstream,
      () => this.#client,
      () => {
        this.#upstreamClosed = true
        this.#settle()
      },
    )
    this.#toClient.attach(this.#client)
    this.#toUpstream.attach(upstream)
  }

  /** Forwards what a stall held, both ways. */
  flush(): void {
    this.#toUpstream.flush()
    this.#toClient?.flush()
  }

  /** Resets both sides (RST), as a killed server would. */
  reset(): void {
    this.#dispose()
    resetQuietly(this.#client)
    if (this.#upstream) resetQuietly(this.#upstream)
  }

  /** Closes both sides at once, whatever is held. */
  destroy(): void {
    this.#dispose()
    this.#client.destroy()
    this.#upstream?.destroy()
  }

  #dispose(): void {
    this.#toUpstream.dispose()
    this.#toClient?.dispose()
  }

  #settle(): void {
    if (!this.#clientClosed || (this.#upstream !== undefined && !this.#upstreamClosed)) return
    this.#dispose()
    this.#done()
  }
}

/**
 * Handles `socket`'s errors and close: an error, or a close before both halves ended in order,
 * resets the peer; `closed` is called once the socket is gone.
 */
function watch(socket: Socket, peer: () => Socket | undefined, closed: () => void): void {
  socket.on('error', () => {
    // Reported to the peer as a reset, below.
  })
  socket.once('close', (hadError) => {
    const orderly = !hadError && socket.readableEnded && socket.writableFinished
    const other = peer()
    if (!orderly && other) resetQuietly(other)
    closed()
  })
}
