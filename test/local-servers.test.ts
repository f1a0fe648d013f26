import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ask } from '../src/backends/memcached/ask.js'
import { memcachedServer } from '../src/backends/memcached/server.js'
import { mysqlServer } from '../src/backends/mysql/server.js'
import { postgresServer } from '../src/backends/postgres/server.js'
import { provisionBackend } from '../src/backends/provision.js'
import { redisServer } from '../src/backends/redis/server.js'
import type { Backend, ServerSpec } from '../src/backends/types.js'
import { BackendUnavailableError } from '../src/backends/unavailable.js'

/** How long a query to a paused server is watched for an answer that must not come. */
const SILENCE_MS = 300

/** A connection of a backend's own client, just enough to write a value and read it back. */
interface Connection {
  set(key: string, value: string): Promise<void>
  get(key: string): Promise<string | null>
  close(): Promise<void>
}

const clients: Record<string, (url: string) => Promise<Connection>> = {
  async redis(url) {
    const { createClient } = await import('redis')
    const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 2000 } })
    client.on('error', () => {})
    await client.connect()
    return {
      set: async (key, value) => void (await client.set(key, value)),
      get: (key) => client.get(key),
      close: async () => {
        if (client.isOpen) client.destroy()
      },
    }
  },
  async memcached(url) {
    // A connection per command (the tool's own probe), the first one made now: a refusal shows here.
    await ask(url, 'version', /\r\n/, 2000)
    return {
      async set(key, value) {
        const reply = await ask(url, `set ${key} 0 0 ${value.length}\r\n${value}`, /\r\n/, 5000)
        if (!reply.startsWith('STORED')) throw new Error(`set: ${reply}`)
      },
      get: async (key) =>
        /^VALUE \S+ \d+ \d+\r\n(.*)\r\n/.exec(await ask(url, `get ${key}`, /END\r\n/, 5000))?.[1] ?? null,
      close: async () => {},
    }
  },
  async postgres(url) {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 })
    client.on('error', () => {})
    await client.connect()
    await client.query('CREATE TABLE IF NOT EXISTS kv (k text PRIMARY KEY, v text)')
    return {
      set: async (key, value) =>
        void (await client.query('INSERT INTO kv VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET v = $2', [key, value])),
      get: async (key) => (await client.query('SELECT v FROM kv WHERE k = $1', [key])).rows[0]?.v ?? null,
      close: () => client.end().catch(() => {}),
    }
  },
  async mysql(url) {
    const mysql = await import('mysql2/promise')
    const connection = await mysql.createConnection({ uri: url, connectTimeout: 2000 })
    connection.on('error', () => {})
    await connection.query('CREATE TABLE IF NOT EXISTS kv (k varchar(64) PRIMARY KEY, v text)')
    return {
      set: async (key, value) => void (await connection.query('REPLACE INTO kv VALUES (?, ?)', [key, value])),
      async get(key) {
        const [rows] = await connection.query('SELECT v FROM kv WHERE k = ?', [key])
        return (rows as { v: string }[])[0]?.v ?? null
      },
      close: () => connection.end().catch(() => {}),
    }
  },
}

/** A value through a connection of its own. */
async function read(kind: string, url: string, key: string): Promise<string | null> {
  const connection = await clients[kind]?.(url)
  if (!connection) throw new Error(`no client for ${kind}`)
  try {
    return await connection.get(key)
  } finally {
    await connection.close()
  }
}

/** Whether `work` has settled after `ms`: the one place a timer decides, and only that nothing came yet. */
async function answersWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false
  work.then(
    () => (settled = true),
    () => (settled = true),
  )
  await new Promise((resolve) => setTimeout(resolve, ms))
  return settled
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** `root` and its descendants, from /proc (PostgreSQL's backends are its children). */
function descendants(root: number): number[] {
  const parents = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => {
      const stat = (() => {
        try {
          return readFileSync(`/proc/${entry}/stat`, 'utf8')
        } catch {
          return ''
        }
      })()
      return [Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])] as const
    })
  const tree = [root]
  for (let index = 0; index < tree.length; index++)
    tree.push(...parents.filter(([, parent]) => parent === tree[index]).map(([pid]) => pid))
  return tree
}

/** Polls until `condition` holds, or fails once `timeoutMs` has passed. */
async function eventually(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const specs: readonly ServerSpec[] = [redisServer, memcachedServer, postgresServer, mysqlServer]
/** Each kind's private server, or why there is none (its binary is not installed). */
const started = new Map<string, Backend | Error>()
/** The kinds whose binary is not installed here. */
const missing = new Set<string>()

beforeAll(async () => {
  await Promise.all(
    specs.map(async (spec) => {
      const backend = await provisionBackend(spec, { env: {}, containers: false }).catch((error: Error) => error)
      started.set(spec.kind, backend)
      if (backend instanceof BackendUnavailableError) missing.add(spec.kind)
    }),
  )
}, 60_000)

afterAll(async () => {
  await Promise.all([...started.values()].map((backend) => (backend instanceof Error ? null : backend.stop())))
})

/** The kind's server; the test is skipped when its binary is not installed, and fails when it would not start. */
function serverFor(kind: string, skip: (note: string) => void): Backend {
  const backend = started.get(kind)
  if (backend instanceof BackendUnavailableError) skip(backend.message)
  if (backend instanceof Error || backend === undefined) throw backend ?? new Error(`${kind} was not started`)
  return backend
}

describe('a server started for the run can be paused, killed and restarted', () => {
  test.for(specs.map((spec) => spec.kind))('%s', { timeout: 40_000 }, async (kind, context) => {
    const backend = serverFor(kind, (note) => context.skip(note))
    const { url, dir, control } = backend
    expect(backend).toMatchObject({ source: 'local-binary', version: expect.stringMatching(/^\d+\.\d+/) })
    if (!control) throw new Error('a local server has control')

    const connection = await clients[kind]?.(url)
    if (!connection) throw new Error(`no client for ${kind}`)
    await connection.set('kept', 'before-kill')

    await control.pause()
    const pending = connection.get('kept')
    expect(await answersWithin(pending, SILENCE_MS)).toBe(false)
    await control.resume()
    // What was sent while it was paused is answered once it goes on.
    expect(await pending).toBe('before-kill')
    await connection.close()

    const pid = backend.pid as number
    await control.kill()
    expect(alive(pid)).toBe(false)
    expect(backend.pid).toBeUndefined()
    await expect(read(kind, url, 'kept')).rejects.toThrow()

    await control.restart()
    expect(backend.pid).not.toBe(pid)
    expect(await read(kind, url, 'kept')).toBe(control.keepsData ? 'before-kill' : null)
    expect(control.keepsData).toBe(kind === 'postgres' || kind === 'mysql')

    const restarted = backend.pid as number
    await backend.stop()
    expect(alive(restarted)).toBe(false)
    expect(existsSync(dir as string)).toBe(false)
    started.delete(kind)
  })
})

describe('stop() ends a server in any state', () => {
  /** A fresh private server of `spec`'s, or a skip when its binary is not installed. */
  async function fresh(spec: ServerSpec, skip: (note: string) => void): Promise<Backend> {
    return provisionBackend(spec, { env: {}, containers: false }).catch((error: unknown) => {
      if (error instanceof BackendUnavailableError) skip(error.message)
      throw error
    })
  }

  test.for([redisServer, postgresServer].map((spec) => [spec.kind, spec] as const))(
    'paused, with a client connected: %s',
    { timeout: 40_000 },
    async ([kind, spec], context) => {
      const backend = await fresh(spec, (note) => context.skip(note))
      const connection = await clients[kind]?.(backend.url)
      await connection?.set('a', 'b')
      // The postmaster and the backend serving this connection, at least.
      const processes = descendants(backend.pid as number)
      expect(processes.length).toBeGreaterThan(kind === 'postgres' ? 1 : 0)
      await backend.control?.pause()
      await backend.stop()
      await connection?.close()
      expect(processes.filter(alive)).toEqual([])
      expect(existsSync(backend.dir as string)).toBe(false)
    },
  )

  test('killed and not restarted', async (context) => {
    const backend = await fresh(memcachedServer, (note) => context.skip(note))
    await backend.control?.kill()
    await backend.stop()
    expect(existsSync(backend.dir as string)).toBe(false)
  })

  test('paused or resumed after a kill is an error; restart() brings it back', async (context) => {
    const backend = await fresh(redisServer, (note) => context.skip(note))
    try {
      await backend.control?.kill()
      await expect(backend.control?.pause()).rejects.toThrow(/not running/)
      await backend.control?.restart()
      expect(await read('redis', backend.url, 'absent')).toBeNull()
    } finally {
      await backend.stop()
    }
  })
})

describe('a server that will not start is an error with its last word, not a hang', () => {
  const binary = postgresServer.binary
  const failing = (changes: Partial<NonNullable<ServerSpec['binary']>>): ServerSpec => ({
    ...postgresServer,
    binary: { ...(binary as NonNullable<ServerSpec['binary']>), ...changes },
  })

  test('a preparation step that fails', async (context) => {
    if (missing.has('postgres')) context.skip('postgres is not installed')
    const spec = failing({ init: (_dir, run) => run('sh', ['-c', 'echo the disk is on fire >&2; exit 3']) })
    const error = await provisionBackend(spec, { env: {}, containers: false }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SC_BACKEND_START_FAILED',
      message: expect.stringMatching(/did not start on port \d+ within 30 s: sh failed \(3\): the disk is on fire$/),
    })
  })

  test('a server that exits at once', async (context) => {
    if (missing.has('postgres')) context.skip('postgres is not installed')
    const args = (port: number, dir: string) => [...(binary?.args(port, dir) ?? []), '-c', 'no_such_setting=1']
    const error = await provisionBackend(failing({ args }), { env: {}, containers: false }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SC_BACKEND_START_FAILED',
      message: expect.stringContaining('unrecognized configuration parameter "no_such_setting"'),
    })
  })
})

test('if this process is SIGKILLed, its paused server is stopped and its directory removed', async (context) => {
  const provision = fileURLToPath(new URL('../src/backends/provision.ts', import.meta.url))
  const spec = fileURLToPath(new URL('../src/backends/postgres/server.ts', import.meta.url))
  // A connection of its own, so that a backend process is paused and orphaned too.
  const script = `
    const { provisionBackend } = await import(${JSON.stringify(provision)})
    const { postgresServer } = await import(${JSON.stringify(spec)})
    const { default: pg } = await import('pg')
    const backend = await provisionBackend(postgresServer, { env: {}, containers: false }).catch(() => undefined)
    if (backend) {
      const client = new pg.Client({ connectionString: backend.url })
      client.on('error', () => {})
      await client.connect()
      await backend.control.pause()
    }
    console.log(JSON.stringify({ pid: backend?.pid, dir: backend?.dir }))
    setInterval(() => {}, 1000)
  `
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const line = await new Promise<string>((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('\n')) resolve(output.trim())
    })
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before starting postgres`)))
  })
  const { pid, dir } = JSON.parse(line) as { pid?: number; dir?: string }
  if (pid === undefined || dir === undefined) {
    child.kill('SIGKILL')
    return context.skip('postgres is not installed')
  }
  const processes = descendants(pid)
  expect(processes.length).toBeGreaterThan(1)
  child.kill('SIGKILL')
  await eventually(
    () => processes.every((each) => !alive(each)) && !existsSync(dir),
    10_000,
    'the server, its backend and its directory were not gone',
  )
})
