import { connect, createServer, type Server, type Socket } from 'node:net'
import { createClient } from 'redis'
import { afterEach, describe, expect, test } from 'vitest'
import { proxiedUrl, upstreamOf } from '../src/backends/fault-proxy/addresses.js'
import { type FaultProxy, startFaultProxy } from '../src/backends/fault-proxy/fault-proxy.js'
import { freePort } from '../src/backends/free-port.js'

/** A loopback server standing in for the backend: it keeps every socket it accepts and what each sent. */
class Upstream {
  readonly sockets: Socket[] = []
  readonly received = new Map<Socket, string>()
  readonly errors: string[] = []
  #waiters: (() => void)[] = []

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  /** `echo`: each socket sends back what it gets and ends when its client ends; otherwise it only records. */
  static async start(echo: boolean): Promise<Upstream> {
    const server = createServer({ allowHalfOpen: !echo })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const upstream = new Upstream(server, (server.address() as { port: number }).port)
    server.on('connection', (socket) => upstream.#accept(socket, echo))
    return upstream
  }

  /** The `index`th socket accepted, once it is. */
  async socket(index: number): Promise<Socket> {
    await this.until(() => this.sockets.length > index)
    return this.sockets[index] as Socket
  }

  /** Resolves once `condition` holds, checked at every event the upstream sees. */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (condition() ? resolve() : this.#waiters.push(check))
      check()
    })
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  #accept(socket: Socket, echo: boolean): void {
    this.sockets.push(socket)
    this.received.set(socket, '')
    socket.on('data', (chunk: Buffer) => {
      this.received.set(socket, this.received.get(socket) + chunk.toString())
      this.#wake()
    })
    socket.on('end', () => this.#wake())
    socket.on('close', () => this.#wake())
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.errors.push(error.code ?? error.message)
      this.#wake()
    })
    if (echo) socket.pipe(socket)
    this.#wake()
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}

/** A client connection to the proxy that records what it receives and how it ended. */
class Client {
  readonly socket: Socket
  data = ''
  ended = false
  /** The error code the socket closed with, or 'closed' for a clean close. */
  readonly closed: Promise<string>
  #waiters: (() => void)[] = []

  constructor(proxy: { host: string; port: number }) {
    this.socket = connect({ host: proxy.host, port: proxy.port, allowHalfOpen: true })
    let error = 'closed'
    this.socket.on('data', (chunk: Buffer) => {
      this.data += chunk.toString()
      this.#wake()
    })
    this.socket.on('end', () => {
      this.ended = true
      this.#wake()
    })
    this.socket.on('error', (cause: NodeJS.ErrnoException) => {
      error = cause.code ?? cause.message
    })
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve(error)))
  }

  connected(): Promise<void> {
    return new Promise((resolve) => (this.socket.connecting ? this.socket.once('connect', resolve) : resolve()))
  }

  /** Resolves once everything received so far is `text`, and fails if it could no longer become so. */
  receive(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.data === text) resolve()
        else if (!text.startsWith(this.data) || this.ended) reject(new Error(`received ${this.data}, not ${text}`))
        else this.#waiters.push(check)
      }
      check()
    })
  }

  /**
   * Resolves once the other side's FIN arrived, or the connection closed: a socket destroyed with
   * bytes it had not read yet (held by a stall) sends a reset instead of a FIN, as the kernel decides.
   */
  end(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ended || this.socket.destroyed) return resolve()
      this.socket.once('end', () => resolve())
      this.socket.once('close', () => resolve())
    })
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter()
  }
}

/** Polls `condition` every few ms: for state with no event of its own (the proxy's counters). */
async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${condition}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

const pause = (ms: number) => new Promise<'no answer yet'>((resolve) => setTimeout(() => resolve('no answer yet'), ms))

/**
 * How long a held byte is given to show up before "nothing came through" is believed. A broken stall
 * forwards within a millisecond on loopback; a working one can never fail this check, only a broken
 * one pass it.
 */
const NO_ANSWER_MS = 50

const opened: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((resource) => resource.close()))
})

async function setUp(echo = true): Promise<{ upstream: Upstream; proxy: FaultProxy }> {
  const upstream = await Upstream.start(echo)
  const proxy = await startFaultProxy({ upstream: { host: '127.0.0.1', port: upstream.port } })
  opened.push(proxy, upstream)
  return { upstream, proxy }
}

describe('startFaultProxy', () => {
  test('listens on loopback and forwards bytes both ways', async () => {
    const { upstream, proxy } = await setUp()
    expect(proxy.host).toBe('127.0.0.1')
    expect(proxy.port).toBeGreaterThan(0)
    expect(proxy.mode).toBe('pass')
    const client = new Client(proxy)
    client.socket.write('ping')
    await client.receive('ping')
    ;(await upstream.socket(0)).write('+hello')
    await client.receive('ping+hello')
    expect(proxy.openConnections).toBe(1)
    client.socket.end()
    expect(await client.closed).toBe('closed')
    await until(() => proxy.openConnections === 0)
  })

  test('passes a FIN on after the bytes before it, each way, leaving the other half open', async () => {
    const { upstream, proxy } = await setUp(false)
    // The server ends first (as after a QUIT); the client can still send.
    const first = new Client(proxy)
    const server = await upstream.socket(0)
    server.end('bye')
    await first.receive('bye')
    await first.end()
    first.socket.end('after')
    await upstream.until(() => upstream.received.get(server) === 'after' && server.readableEnded)
    expect(await first.closed).toBe('closed')

    // The client ends first (as a Redis client after QUIT, waiting for +OK); the server can still answer.
    const second = new Client(proxy)
    second.socket.end('QUIT')
    const other = await upstream.socket(1)
    await upstream.until(() => upstream.received.get(other) === 'QUIT' && other.readableEnded)
    expect(second.ended).toBe(false)
    other.end('+OK')
    await second.receive('+OK')
    expect(await second.closed).toBe('closed')
    await until(() => proxy.openConnections === 0)
  })

  test('latency delays every chunk, both ways, and keeps their order when it changes', async () => {
    const { upstream, proxy } = await setUp()
    const client = new Client(proxy)
    await client.connected()
    proxy.latency(40)
    const start = performance.now()
    client.socket.write('a')
    await client.receive('a')
    // There and back: two delays; timers may fire up to 1 ms early.
    expect(performance.now() - start).toBeGreaterThanOrEqual(78)

    proxy.latency(80)
    client.socket.write('b')
    // Lets 'b' reach the proxy as a chunk of its own; were it merged with 'c', the order would still be checked.
    await pause(10)
    proxy.latency(0)
    client.socket.write('c')
    await client.receive('abc')
    expect(upstream.received.get(await upstream.socket(0))).toBe('abc')
    expect(() => proxy.latency(-1)).toThrow(RangeError)
    expect(() => proxy.latency(Number.NaN)).toThrow(RangeError)
  })

  test('stall holds bytes both ways and new connections undialled, and heal delivers them in order', async () => {
    const { upstream, proxy } = await setUp()
    const first = new Client(proxy)
    first.socket.write('a')
    await first.receive('a')
    const server = await upstream.socket(0)

    proxy.stall()
    expect(proxy.mode).toBe('stall')
    first.socket.write('one')
    server.write('srv')
    const second = new Client(proxy)
    await second.connected()
    second.socket.write('two')
    await until(() => proxy.openConnections === 2)
    expect(await pause(NO_ANSWER_MS)).toBe('no answer yet')
    expect(first.data).toBe('a')
    expect(second.data).toBe('')
    expect(upstream.received.get(server)).toBe('a')
    expect(upstream.sockets).toHaveLength(1)

    proxy.heal()
    expect(proxy.mode).toBe('pass')
    await first.receive('asrvone')
    await second.receive('two')
    expect(upstream.received.get(server)).toBe('aone')
    expect(upstream.sockets).toHaveLength(2)
  })

  test('down resets open connections on both sides and new ones on arrival, and heal restores', async () => {
    const { upstream, proxy } = await setUp()
    const first = new Client(proxy)
    first.socket.write('a')
    await first.receive('a')

    proxy.down()
    expect(proxy.mode).toBe('down')
    expect(await first.closed).toBe('ECONNRESET')
    await upstream.until(() => upstream.errors.includes('ECONNRESET'))
    await until(() => proxy.openConnections === 0)
    const refused = new Client(proxy)
    expect(await refused.closed).toBe('ECONNRESET')
    expect(upstream.sockets).toHaveLength(1)

    proxy.heal()
    const after = new Client(proxy)
    after.socket.write('back')
    await after.receive('back')
    expect(upstream.sockets).toHaveLength(2)
  })

  test('an upstream that refuses or resets resets the client, and the connection is gone', async () => {
    const nobody = await freePort()
    const proxy = await startFaultProxy({ upstream: { host: '127.0.0.1', port: nobody } })
    opened.push(proxy)
    const refused = new Client(proxy)
    expect(await refused.closed).toBe('ECONNRESET')
    await until(() => proxy.openConnections === 0)

    const { upstream, proxy: other } = await setUp()
    const client = new Client(other)
    ;(await upstream.socket(0)).resetAndDestroy()
    expect(await client.closed).toBe('ECONNRESET')
    await until(() => other.openConnections === 0)
  })

  test('close ends everything even while stalled, refuses new connections, and is idempotent', async () => {
    const { upstream, proxy } = await setUp()
    const first = new Client(proxy)
    first.socket.write('a')
    await first.receive('a')
    proxy.latency(10_000)
    first.socket.write('held by a timer')
    proxy.stall()
    const second = new Client(proxy)
    second.socket.write('held')
    await until(() => proxy.openConnections === 2)

    await proxy.close()
    expect(proxy.openConnections).toBe(0)
    // Both clients allow half-open: they see the FIN (or a reset) and stay until they end their side.
    await Promise.all([first.end(), second.end()])
    expect([first.data, second.data]).toEqual(['a', ''])
    await upstream.until(() => (upstream.sockets[0] as Socket).destroyed)
    await proxy.close()
    expect(await new Client(proxy).closed).toBe('ECONNREFUSED')
  })
})

describe('proxiedUrl and upstreamOf', () => {
  const proxy = { host: '127.0.0.1', port: 40123 }
  test.each([
    ['redis://user:pw@host:6380/0', 'host', 6380, 'redis://user:pw@127.0.0.1:40123/0'],
    ['redis://localhost', 'localhost', 6379, 'redis://127.0.0.1:40123'],
    ['redis://[::1]:6379/1', '::1', 6379, 'redis://127.0.0.1:40123/1'],
    [
      'postgres://postgres@127.0.0.1:5432/test?sslmode=disable',
      '127.0.0.1',
      5432,
      'postgres://postgres@127.0.0.1:40123/test?sslmode=disable',
    ],
    ['postgresql://u:p%40ss@db/x', 'db', 5432, 'postgresql://u:p%40ss@127.0.0.1:40123/x'],
    ['mysql://root@127.0.0.1:3306/test', '127.0.0.1', 3306, 'mysql://root@127.0.0.1:40123/test'],
    ['mariadb://root@db/test', 'db', 3306, 'mariadb://root@127.0.0.1:40123/test'],
    ['mongodb://127.0.0.1:27017/db', '127.0.0.1', 27017, 'mongodb://127.0.0.1:40123/db'],
    ['mongodb://mongo/db', 'mongo', 27017, 'mongodb://127.0.0.1:40123/db'],
    ['127.0.0.1:11211', '127.0.0.1', 11211, '127.0.0.1:40123'],
    ['localhost', 'localhost', 11211, '127.0.0.1:40123'],
    ['[::1]:6379', '::1', 6379, '127.0.0.1:40123'],
    ['memcached://cache:11212', 'cache', 11212, 'memcached://127.0.0.1:40123'],
    ['memcached://cache', 'cache', 11211, 'memcached://127.0.0.1:40123'],
  ])('%s', (url, host, port, proxied) => {
    expect(upstreamOf(url)).toEqual({ host, port })
    expect(proxiedUrl(url, proxy)).toBe(proxied)
  })

  test('an IPv6 proxy address is bracketed', () => {
    expect(proxiedUrl('redis://127.0.0.1:6379/0', { host: '::1', port: 1 })).toBe('redis://[::1]:1/0')
    expect(proxiedUrl('127.0.0.1:11211', { host: '::1', port: 1 })).toBe('[::1]:1')
  })

  test('a URL with several hosts, or without a port and a default for its scheme, is refused', () => {
    expect(() => upstreamOf('mongodb://a:1,b:2/db')).toThrow(/one host/)
    expect(() => upstreamOf('foo://x')).toThrow(/no default/)
  })
})

const REDIS_URL = 'redis://127.0.0.1:6379'

/** Whether something accepts connections at `url`'s address. */
function reachable(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(upstreamOf(url))
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

const redisReachable = await reachable(REDIS_URL)

describe('with node-redis against a real Redis', () => {
  test.skipIf(!redisReachable)('stall and down are seen as a hang and as a reset', async () => {
    const proxy = await startFaultProxy({ upstream: upstreamOf(REDIS_URL) })
    opened.push(proxy)
    const redis = createClient({ url: proxiedUrl(REDIS_URL, proxy), socket: { reconnectStrategy: 10 } })
    const errors: string[] = []
    redis.on('error', (error: NodeJS.ErrnoException) => errors.push(error.code ?? error.message))
    await redis.connect()
    try {
      const key = `sc-fault-proxy-${process.pid}-${Date.now()}`
      await redis.set(key, 'value', { expiration: { type: 'EX', value: 60 } })
      expect(await redis.get(key)).toBe('value')
      await redis.del(key)

      proxy.stall()
      const ping = redis.ping()
      expect(await Promise.race([ping, pause(NO_ANSWER_MS * 3)])).toBe('no answer yet')
      proxy.heal()
      expect(await ping).toBe('PONG')
      expect(errors).toEqual([])

      proxy.down()
      await until(() => errors.length > 0 && !redis.isReady)
      expect(errors).toContain('ECONNRESET')
      proxy.heal()
      await until(() => redis.isReady)
      expect(await redis.ping()).toBe('PONG')
    } finally {
      redis.destroy()
    }
  })
})
