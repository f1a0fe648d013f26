import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { describe, expect, test } from 'vitest'
import type { BackendSpec } from '../adapters/_backends/backend.js'
import { BackendUnavailableError } from '../adapters/_backends/errors.js'
import { IMAGES } from '../adapters/_backends/images.js'
import { provisionBackend } from '../adapters/_backends/provision.js'
import { memcachedSpec, postgresSpec, redisSpec } from '../adapters/_backends/specs.js'
import { builtinAdapters } from '../adapters/index.js'
import { adapterProvider } from '../src/adapter-provider.js'
import { ConformanceError } from '../src/errors.js'
import { runConformance, runFailed } from '../src/run-conformance.js'
import type { StoreProvider } from '../src/types.js'

const adapter = async (name: string) => (builtinAdapters[name] as () => ReturnType<(typeof builtinAdapters)[string]>)()

/** A backend kind that exists nowhere: no env var set, no binary, no containers. */
const nowhere: BackendSpec = {
  ...memcachedSpec,
  envVars: ['STORE_CONFORMANCE_TEST_NOWHERE_URL'],
  binary: { command: 'store-conformance-test-no-such-server', args: () => [], url: () => '' },
  hint: 'install the nowhere server',
}

describe('provisioning order and errors', () => {
  test('a URL that points nowhere is a clear error, not a hang', { timeout: 10_000 }, async () => {
    const error = await provisionBackend(redisSpec, { url: 'redis://127.0.0.1:9' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConformanceError)
    expect(error).toMatchObject({ code: 'SC_BACKEND_UNREACHABLE', message: expect.stringContaining('redis at redis://127.0.0.1:9 (from the --url flag) does not answer') })
  })

  test('an env URL is used first and reported as such', async () => {
    const backend = await provisionBackend(redisSpec, { env: { REDIS_URL: 'redis://127.0.0.1:6379' } })
    expect(backend).toMatchObject({ source: 'env', url: 'redis://127.0.0.1:6379', version: expect.stringMatching(/^\d+\.\d+/) })
  })

  test('a password in a URL is not printed', async () => {
    const error = await provisionBackend(postgresSpec, { url: 'postgres://user:secret@127.0.0.1:9/db' }).catch((e: unknown) => e)
    expect((error as Error).message).toContain('postgres://user:***@127.0.0.1:9/db')
    expect((error as Error).message).not.toContain('secret')
  })

  test('with nothing available the reason names what was tried and what would help', async () => {
    const error = await provisionBackend(nowhere, { env: {}, containers: false }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendUnavailableError)
    expect((error as Error).message).toBe(
      'memcached is not available: no STORE_CONFORMANCE_TEST_NOWHERE_URL set, no store-conformance-test-no-such-server on PATH; install the nowhere server',
    )
  })

  test('a server binary that will not start is an error within seconds', { timeout: 15_000 }, async () => {
    const failing: BackendSpec = { ...nowhere, binary: { command: 'false', args: () => [], url: () => '127.0.0.1:9' } }
    const error = await provisionBackend(failing, { env: {}, containers: false }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'SC_BACKEND_START_FAILED', message: expect.stringContaining('false did not start') })
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
    expect(report.results[0]).toMatchObject({ reason: 'unavailable', message: expect.stringContaining('no STORE_CONFORMANCE_TEST_NOWHERE_URL set') })
    expect(runFailed(report)).toBe(false)
  })

  test('--require turns it into a failure', async () => {
    const report = await runConformance({ store: unavailable(), require: true })
    expect(runFailed(report)).toBe(true)
  })
})

describe('nothing is left behind', () => {
  const serverProcesses = (name: string) => {
    try {
      return execFileSync('pgrep', ['-f', `${name}.*sc-${name}-`]).toString().trim().split('\n').filter(Boolean).length
    } catch {
      return 0
    }
  }
  const tempDirs = (prefix: string) => readdirSync(tmpdir()).filter((entry) => entry.startsWith(prefix)).sort()

  test.for([
    ['redis', 'REDIS_URL'],
    ['memcached', 'MEMCACHED_URL'],
  ] as const)('a %s server started for the run is stopped and its directory removed', { timeout: 30_000 }, async ([name, envVar], context) => {
    if (process.env[envVar]) context.skip(`${envVar} is set, so no local server is started`)
    const before = tempDirs(`sc-${name}-`)
    const report = await runConformance({ store: adapterProvider(await adapter(name)), only: ['core'] })
    expect(report.store.backend).toMatchObject({ source: 'local-binary' })
    expect(serverProcesses(name)).toBe(0)
    expect(tempDirs(`sc-${name}-`)).toEqual(before)
  })

  test('the file store removes its directory', async () => {
    const before = tempDirs('sc-file-store-')
    await runConformance({ store: adapterProvider(await adapter('file')), only: ['core'] })
    expect(tempDirs('sc-file-store-')).toEqual(before)
  })

  test('on a shared Redis, no key under the run prefix survives', async () => {
    const { createClient } = await import('redis')
    const client = createClient({ url: 'redis://127.0.0.1:6379' })
    await client.connect()
    const count = async () => {
      let keys = 0
      for await (const batch of client.scanIterator({ MATCH: 'sc-*', COUNT: 500 })) keys += batch.length
      return keys
    }
    const before = await count()
    const report = await runConformance({ store: adapterProvider(await adapter('redis'), { url: 'redis://127.0.0.1:6379' }) })
    expect(report.store.backend).toMatchObject({ source: 'env' })
    expect(await count()).toBe(before)
    await client.quit()
  })

  test('on PostgreSQL, the run schema is dropped', async (context) => {
    if (!process.env.DATABASE_URL && !process.env.PG_URL) context.skip('DATABASE_URL is not set')
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: process.env.PG_URL ?? process.env.DATABASE_URL })
    await client.connect()
    const schemas = async () => (await client.query("SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name LIKE 'sc\\_%'")).rows[0].n as number
    const before = await schemas()
    await runConformance({ store: adapterProvider(await adapter('postgres')) })
    expect(await schemas()).toBe(before)
    await client.end()
  })

  test('on MySQL, the run table is dropped', async (context) => {
    if (!process.env.MYSQL_URL) context.skip('MYSQL_URL is not set')
    const mysql = await import('mysql2/promise')
    const connection = await mysql.createConnection({ uri: process.env.MYSQL_URL as string })
    const tables = async () => ((await connection.query("SHOW TABLES LIKE 'sc\\_sessions\\_%'"))[0] as unknown[]).length
    const before = await tables()
    await runConformance({ store: adapterProvider(await adapter('mysql')) })
    expect(await tables()).toBe(before)
    await connection.end()
  })
})

test('docker-compose.yml pins the same images the testcontainers path uses', () => {
  const compose = readFileSync(new URL('../docker-compose.yml', import.meta.url), 'utf8')
  const images = [...compose.matchAll(/^\s+image:\s*(\S+)/gm)].map((match) => match[1])
  expect(images.sort()).toEqual(Object.values(IMAGES).sort())
})
