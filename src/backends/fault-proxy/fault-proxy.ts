import { createServer, type Server, type Socket } from 'node:net'
import type { Conditions } from './_direction.js'
import { type Address, Link } from './_link.js'
import { resetQuietly } from './_reset.js'

export interface FaultProxyOptions {
  /** Where the backend listens. */
  readonly upstream: { readonly host: string; readonly port: number }
}

/** 'pass' forwards, 'stall' holds every byte, 'down' resets every connection. */
export type FaultMode = 'pass' | 'stall' | 'down'

/**
 * A loopback TCP proxy between a store's client and its backend that can delay, hold or cut the
 * bytes on demand, in the spirit of Toxiproxy's toxics, but in-process: no binary to install.
 */
export interface FaultProxy {
  /** Where clients connect instead of the backend: 127.0.0.1 and a free port. */
  readonly host: string
  readonly port: number
  /** The current mode. */
  readonly mode: FaultMode
  /** Connections currently open through the proxy. */
  readonly openConnections: number
  /** Adds `ms` of latency to every chunk, both directions (0 removes it); order is kept. */
  latency(ms: number): void
  /**
   * Bytes in both directions are held (not forwarded, not dropped) until heal(); new connections
   * are accepted and their bytes held too, and nothing is dialled upstream for them until heal().
   * Like a SIGSTOPped server or a partition: the client's writes succeed and no answer comes.
   * Held bytes are kept in memory without a bound.
   */
  stall(): void
  /**
   * Every open connection is reset (RST, both the client side and the upstream side), and new
   * connections are reset as soon as they are accepted, until heal(). The listening port stays
   * ours, so heal() cannot lose it. Like a killed server.
   */
  down(): void
  /** Back to 'pass': held bytes are forwarded in order (held connections are dialled upstream now). */
  heal(): void
  /** Closes the listener and every connection; idempotent; resolves when all is closed. */
  close(): Promise<void>
}

const HOST = '127.0.0.1'

/**
 * Starts a fault proxy to `options.upstream` on a free loopback port, in 'pass' mode. It listens
 * until close(): 'down' resets connections but keeps the port, so no other process can take it
 * while a test waits for the backend to come back.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const server = createServer({ allowHalfOpen: true })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return new LoopbackFaultProxy(server, { host: options.upstream.host, port: options.upstream.port })
}

class LoopbackFaultProxy implements FaultProxy {
  readonly host = HOST
  readonly port: number
  readonly #links = new Set<Link>()
  readonly #conditions: () => Conditions
  #mode: FaultMode = 'pass'
  #latencyMs = 0
  #closing: Promise<void> | undefined

  constructor(
    private readonly server: Server,
    private readonly upstream: Address,
  ) {
    this.port = (server.address() as { port: number }).port
    this.#conditions = () => ({ latencyMs: this.#latencyMs, held: this.#mode === 'stall' })
    // A failed accept (EMFILE) is the client's problem to see, not a crash of the test process.
    server.on('error', () => {})
    server.on('connection', (socket) => this.#accept(socket))
  }

  get mode(): FaultMode {
    return this.#mode
  }

  get openConnections(): number {
    return this.#links.size
  }

  latency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a finite number ≥ 0, not ${ms}`)
    this.#latencyMs = ms
  }

  stall(): void {
    this.#mode = 'stall'
  }

  down(): void {
    this.#mode = 'down'
    for (const link of this.#links) link.reset()
  }

  heal(): void {
    this.#mode = 'pass'
    for (const link of this.#links) {
      link.dial()
      link.flush()
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    const listening = new Promise<void>((resolve) => this.server.close(() => resolve()))
    const links = [...this.#links]
    for (const link of links) link.destroy()
    await Promise.all([listening, ...links.map((link) => link.closed)])
  }

  #accept(socket: Socket): void {
    if (this.#mode === 'down' || this.#closing) {
      socket.on('error', () => {})
      resetQuietly(socket)
      return
    }
    const link = new Link(socket, this.upstream, this.#conditions)
    this.#links.add(link)
    void link.closed.then(() => this.#links.delete(link))
    if (this.#mode === 'pass') link.dial()
  }
}
