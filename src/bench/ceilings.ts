import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { runToken } from '../core/token.js'

const run = promisify(execFile)

/** A backend's own load tool, run on the same machine in the same bench: the ceiling a store is read against. */
export interface Ceiling {
  readonly backend: string
  readonly tool: string
  /** The command, as a reader would type it (no password). */
  readonly command: string
  readonly describes: string
  /** One run: operations per second. */
  measure(): Promise<number>
  /** Removes what it wrote. */
  cleanup(): Promise<void>
}

/** Clients redis-benchmark keeps busy: its usual figure. */
export const CEILING_CLIENTS = 50

/**
 * The backend's own load tool, reading one value of the bench's session size from 50 clients:
 * redis-benchmark for Redis, pgbench for PostgreSQL. Undefined for another backend or when the
 * tool is not installed.
 */
export async function ceilingFor(
  backend: { readonly kind: string; readonly url: string },
  payloadBytes: number,
  requests: number,
): Promise<Ceiling | undefined> {
  if (backend.kind === 'redis') return redisCeiling(backend, payloadBytes, requests)
  if (backend.kind === 'postgres') return postgresCeiling(backend, payloadBytes)
  return undefined
}

/**
 * redis-benchmark's GET with 50 clients, on a value it writes under a key of the bench's own
 * (sc-bench-<token>-ceiling) and deletes at the end.
 */
async function redisCeiling(
  backend: { readonly kind: string; readonly url: string },
  payloadBytes: number,
  requests: number,
): Promise<Ceiling | undefined> {
  const tool = 'redis-benchmark'
  if (!(await installed(tool))) return undefined
  const url = new URL(backend.url)
  const connection = [
    '-h',
    url.hostname || '127.0.0.1',
    '-p',
    url.port || '6379',
    ...(url.pathname.length > 1 ? ['--dbnum', url.pathname.slice(1)] : []),
    ...(url.username ? ['--user', decodeURIComponent(url.username)] : []),
  ]
  const env = { ...process.env, ...(url.password ? { REDISCLI_AUTH: decodeURIComponent(url.password) } : {}) }
  const key = `sc-bench-${runToken()}-ceiling`
  const once = (...command: string[]) => run(tool, [...connection, '-n', '1', '-c', '1', ...command], { env })
  await once('SET', key, 'x'.repeat(payloadBytes))
  const load = ['-c', String(CEILING_CLIENTS), '-n', String(requests), '--csv', 'GET', key]
  return {
    backend: backend.kind,
    tool,
    command: `${tool} -c ${CEILING_CLIENTS} -n ${requests} GET <a ${payloadBytes}-byte value>`,
    describes: `GET of a ${payloadBytes}-byte value from ${CEILING_CLIENTS} clients`,
    async measure() {
      const { stdout } = await run(tool, [...connection, ...load], { env })
      // --csv: a header line, then "GET key","<requests per second>",…
      const figure = stdout.trim().split('\n').at(-1)?.split(',')[1]?.replace(/"/g, '')
      const perSec = Number(figure)
      if (!Number.isFinite(perSec) || perSec <= 0)
        throw new Error(`${tool} printed no rate: ${stdout.trim().slice(0, 200)}`)
      return perSec
    },
    async cleanup() {
      await once('DEL', key).catch(() => {})
    },
  }
}

/** How long one pgbench run lasts (s): its shortest. */
const PGBENCH_SECONDS = 1

/**
 * pgbench with 50 clients, each reading one row by its key, select-only, from a table of the
 * bench's own (schema sc_bench_<token>, dropped at the end): PostgreSQL's ceiling for the query a
 * session read makes. The table is made with psql, which comes with pgbench.
 */
async function postgresCeiling(
  backend: { readonly kind: string; readonly url: string },
  payloadBytes: number,
): Promise<Ceiling | undefined> {
  const tool = 'pgbench'
  if (!(await installed(tool)) || !(await installed('psql'))) return undefined
  const schema = `sc_bench_${runToken()}`
  const sql = (statement: string) => run('psql', [backend.url, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement])
  await sql(
    `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.ceiling (sid text PRIMARY KEY, sess json NOT NULL); ` +
      `INSERT INTO ${schema}.ceiling VALUES ('k', json_build_object('data', repeat('x', ${payloadBytes})))`,
  )
  const script = `SELECT sess FROM ${schema}.ceiling WHERE sid = 'k';`
  return {
    backend: backend.kind,
    tool,
    command: `${tool} -n -c ${CEILING_CLIENTS} -j 2 -T ${PGBENCH_SECONDS} -f <SELECT of a ${payloadBytes}-byte row>`,
    describes: `SELECT of one ${payloadBytes}-byte row by its key from ${CEILING_CLIENTS} clients`,
    async measure() {
      const args = [
        '-n',
        '-c',
        String(CEILING_CLIENTS),
        '-j',
        '2',
        '-T',
        String(PGBENCH_SECONDS),
        '-f',
        '-',
        backend.url,
      ]
      const child = run(tool, args)
      child.child.stdin?.end(script)
      const { stdout } = await child
      const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1])
      if (!Number.isFinite(tps) || tps <= 0) throw new Error(`${tool} printed no rate: ${stdout.trim().slice(0, 200)}`)
      return tps
    },
    async cleanup() {
      await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {})
    },
  }
}

async function installed(tool: string): Promise<boolean> {
  try {
    await run(tool, ['--version'])
    return true
  } catch {
    return false
  }
}
