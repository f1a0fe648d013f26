import { existsSync, readFileSync } from 'node:fs'
import { describe, expect, test } from 'vitest'
import { runConformance } from '../src/api/run-conformance.js'
import { backends, loadAdapter } from '../src/backends/index.js'
import { memcachedServer } from '../src/backends/memcached/server.js'
import { mysql } from '../src/backends/mysql/index.js'
import { postgres } from '../src/backends/postgres/index.js'
import { postgresServer } from '../src/backends/postgres/server.js'
import { provisionBackend } from '../src/backends/provision.js'
import { redis } from '../src/backends/redis/index.js'
import { redisServer } from '../src/backends/redis/server.js'
import type { ServerSpec } from '../src/backends/types.js'
import { BackendUnavailableError } from '../src/backends/unavailable.js'
import { ConformanceError } from '../src/core/errors.js'
import { expressSession } from '../src/core/express-session.js'
import type { StoreProvider } from '../src/core/types.js'
import { runFailed } from '../src/core/verdict.js'
import { ReferenceStore } from './stores/correct/reference-store.js'

const adapter = loadAdapter

/** A backend kind that exists nowhere: no env var set, no binary, no containers. */
const nowhere: ServerSpec = {
  ...memcachedServer,
  envVars: ['STORE_CONFORMANCE_TEST_NOWHERE_URL'],
  binary: { command: 'store-conformance-test-no-such-server', args: () => [], url: () => '' },
  hint: 'install the nowhere server',
}

describe('provisioning order and errors', () => {
  test('a URL that points nowhere is a clear error, not a hang', { timeout: 10_000 }, async () => {
    const error = await provisionBackend(redisServer, { url: 'redis://127.0.0.1:9' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConformanceError)
    expect(error).toMatchObject({
      code: 'SC_BACKEND_UNREACHABLE',
      message: expect.stringContaining('redis at redis://127.0.0.1:9 (from the --url flag) does not answer'),
    })
  })

  test('an env URL is used first and reported as such', async () => {
    const backend = await provisionBackend(redisServer, { env: { REDIS_URL: 'redis://127.0.0.1:6379' } })
    expect(backend).toMatchObject({
      source: 'env',
      url: 'redis://127.0.0.1:6379',
      version: expect.stringMatching(/^\d+\.\d+/),
    })
  })

  test('a password in a URL is not printed', async () => {
    const error = await provisionBackend(postgresServer, { url: 'postgres://user:secret@127.0.0.1:9/db' }).catch(
      (e: unknown) => e,
    )
    expect((error as Error).message).toContain('postgres://user:***@127.0.0.1:9/db')
    expect((error as Error).message).not.toContain('secret')
  })

  test('with nothing available the reason names what was tried and what would help', async () => {
    const error = await provisionBackend(nowhere, { env: {}, containers: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendUnavailableError)
    expect((error as Error).message).toBe(
      'memcached is not available: no STORE_CONFORMANCE_TEST_NOWHERE_URL set, no ' +
        'store-conformance-test-no-such-server on PATH; install the nowhere server',
    )
  })

  test('a server binary that will not start is an error within seconds', { timeout: 15_000 }, async () => {
    const failing: ServerSpec = { ...nowhere, binary: { command: 'false', args: () => [], url: () => '127.0.0.1:9' } }
    const error = await provisionBackend(failing, { env: {}, containers: false }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'SC_BACKEND_START_FAILED',
      message: expect.stringContaining('false did not start'),
    })
  })
})

describe('an unavailable backend skips the store, or fails it when required', () => {
  const unavailable = (): StoreProvider => ({
    name: 'nowhere',
    create: () => provisionBackend(nowhere, { env: {}, containers: false }) as never,
  })

  test('skipped with the reason, and the run does not fail', async () => {
    const report = await runConformance({ store: unavailable() })
    expect(report.store.unavailable).toContain('install the nowhere server')
    expect(new Set(report.results.map((result) => result.status))).toEqual(new Set(['skip']))
    expect(report.results[0]).toMatchObject({
      reason: 'unavailable',
      message: expect.stringContaining('no STORE_CONFORMANCE_TEST_NOWHERE_URL set'),
    })
    expect(runFailed(report)).toBe(false)
  })

  test('--require turns it into a failure', async () => {
    const report = await runConformance({ store: unavailable(), require: true })
    expect(runFailed(report)).toBe(true)
  })
})

describe('nothing is left behind', () => {
  /** Opens a built-in store directly, so the test knows its server, directory and namespace. */
  async function openAndRun(name: string, url?: string) {
    const chosen = await adapter(name)
    const opened = await chosen.open({ session: expressSession, ...(url === undefined ? {} : { url }) })
    try {
      const report = await runConformance({
        store: { name, create: () => opened.store, capabilities: chosen.capabilities },
        only: ['core'],
      })
      expect(runFailed(report)).toBe(false)
      return opened
    } catch (error) {
      // A failing test must not leave its server or namespace behind either.
      await opened.close()
      throw error
    }
  }
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0)
      return true
    } catch {
      return false
    }
  }

  test.for([
    ['redis', 'REDIS_URL'],
    ['memcached', 'MEMCACHED_URL'],
  ] as const)(
    'a %s server started for the run is stopped and its directory removed',
    { timeout: 30_000 },
    async ([name, envVar], context) => {
      if (process.env[envVar]) context.skip(`${envVar} is set, so no local server is started`)
      const opened = await openAndRun(name)
      const { pid, dir, source } = opened.backend ?? {}
      expect(source).toBe('local-binary')
      expect(alive(pid as number)).toBe(true)
      expect(existsSync(dir as string)).toBe(true)
      await opened.close()
      expect(alive(pid as number)).toBe(false)
      expect(existsSync(dir as string)).toBe(false)
    },
  )

  test('the file store removes its directory', async () => {
    const opened = await openAndRun('file')
    const dir = opened.namespace as string
    expect(existsSync(dir)).toBe(true)
    await opened.close()
    expect(existsSync(dir)).toBe(false)
  })

  test('on a shared Redis, no key under the run prefix survives, even one a failed check left', async () => {
    const opened = await openAndRun('redis', 'redis://127.0.0.1:6379')
    const prefix = opened.namespace as string
    const { createClient } = await import('redis')
    const client = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
    await client.set(`${prefix}left-behind`, '{}')
    await client.quit()
    await opened.close()
    expect(await redis.leftovers?.('redis://127.0.0.1:6379', prefix)).toEqual([])
  })

  test('on PostgreSQL, the run schema is dropped', async (context) => {
    if (!process.env.DATABASE_URL && !process.env.PG_URL) context.skip('DATABASE_URL is not set')
    const opened = await openAndRun('postgres')
    const schema = opened.namespace as string
    const url = (process.env.DATABASE_URL ?? process.env.PG_URL) as string
    expect(await postgres.leftovers?.(url, schema)).toEqual([schema])
    await opened.close()
    expect(await postgres.leftovers?.(url, schema)).toEqual([])
  })

  test('on MySQL, the run table is dropped', async (context) => {
    if (!process.env.MYSQL_URL) context.skip('MYSQL_URL is not set')
    const opened = await openAndRun('mysql')
    const table = opened.namespace as string
    const url = process.env.MYSQL_URL as string
    expect(await mysql.leftovers?.(url, table)).toEqual([table])
    await opened.close()
    expect(await mysql.leftovers?.(url, table)).toEqual([])
  })

  test('a close that fails is reported and fails the run', async () => {
    const report = await runConformance({
      store: {
        name: 'leaky',
        create: () => new ReferenceStore() as never,
        close: () => Promise.reject(new Error('cleanup incomplete: drop schema sc_x: permission denied')),
        capabilities: { ttlGranularityMs: 0 },
      },
      only: ['shape'],
    })
    expect(report.cleanupError).toBe('cleanup incomplete: drop schema sc_x: permission denied')
    expect(runFailed(report)).toBe(true)
  })
})

test('docker-compose.yml runs, for each backend, the image its testcontainers path pins', () => {
  const compose = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')
  const services = Object.fromEntries(
    [...compose.matchAll(/^ {2}(\w+):\n\s+image:\s*(\S+)/gm)].map((match) => [match[1], match[2]]),
  )
  const pinned = Object.fromEntries(
    backends
      .filter((backend) => backend.server?.container)
      .map((backend) => [backend.name, backend.server?.container?.image]),
  )
  expect(services).toEqual(pinned)
})
