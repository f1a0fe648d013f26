import type { Socket } from 'node:net'

/** What the proxy asks of every chunk right now: its added latency, and whether bytes are held (stall). */
export interface Conditions {
  readonly latencyMs: number
  readonly held: boolean
}

/** A chunk on its way, or (chunk null) the sender's FIN, which follows the chunks before it. */
interface Entry {
  readonly chunk: Buffer | null
  ready: boolean
  timer: NodeJS.Timeout | undefined
}

/**
 * One direction of a link: a FIFO of what `source` sent, each chunk released once its latency has
 * passed and nothing is held, and never before the chunks ahead of it, so the order is kept when
 * the latency changes. Held bytes are all kept in memory (unbounded): faults last as long as a test
 * makes them, and tests move little data.
 */
export class Direction {
  readonly #queue: Entry[] = []
  #target: Socket | undefined
  #draining = false
  #disposed = false

  constructor(
    private readonly source: Socket,
    private readonly conditions: () => Conditions,
  ) {
    source.on('data', (chunk: Buffer) => this.#push(chunk))
    source.on('end', () => this.#push(null))
  }

  /** Where the bytes go; until then (a connection accepted during a stall) they are held. */
  attach(target: Socket): void {
    this.#target = target
    this.flush()
  }

  /** Forwards every released chunk at the head of the queue, unless held or not attached yet. */
  flush(): void {
    const target = this.#target
    if (this.#disposed || target === undefined || this.conditions().held) return
    while (this.#queue[0]?.ready) {
      const { chunk } = this.#queue.shift() as Entry
      if (target.destroyed || target.writableEnded) continue
      if (chunk === null) target.end()
      else if (!target.write(chunk)) this.#pauseUntilDrained(target)
    }
  }

  /** Drops what is queued and its timers: the link is gone. */
  dispose(): void {
    this.#disposed = true
    for (const entry of this.#queue.splice(0)) clearTimeout(entry.timer)
  }

  #push(chunk: Buffer | null): void {
    if (this.#disposed) return
    // The FIN adds no latency of its own: it waits only for the chunks ahead of it.
    const latencyMs = chunk === null ? 0 : this.conditions().latencyMs
    const entry: Entry = { chunk, ready: latencyMs === 0, timer: undefined }
    if (!entry.ready) {
      entry.timer = setTimeout(() => {
        entry.ready = true
        this.flush()
      }, latencyMs)
    }
    this.#queue.push(entry)
    this.flush()
  }

  /** Backpressure: a slow receiver slows the sender instead of filling our memory. */
  #pauseUntilDrained(target: Socket): void {
    if (this.#draining) return
    this.#draining = true
    this.source.pause()
    target.once('drain', () => {
      this.#draining = false
      this.source.resume()
    })
  }
}
