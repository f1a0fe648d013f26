import path from 'node:path'
import { dirHolding, lookedUpOnce, pathDirs, versionedDirs } from '../_executables.js'
import type { ServerSpec } from '../types.js'
import { queryRows } from './query.js'

/** initdb and postgres of one installation: on PATH, else the newest of Debian's and Ubuntu's. */
const binDir = lookedUpOnce(() =>
  dirHolding(['initdb', 'postgres'], [...pathDirs(), ...versionedDirs('/usr/lib/postgresql', 'bin')]),
)

/** The data directory inside the server's temp directory (initdb wants one of its own). */
const dataDir = (dir: string) => path.join(dir, 'data')

/**
 * PostgreSQL: DATABASE_URL / PG_URL, else initdb and postgres on a free port, else a container.
 * The private server trades durability against an OS crash for speed (fsync off) but keeps every
 * commit across a SIGKILL: synchronous_commit stays on, so a commit has reached the kernel before
 * it is acknowledged (with it off, the last 200 ms of commits die with the server's memory).
 */
export const postgresServer: ServerSpec = {
  kind: 'postgres',
  envVars: ['DATABASE_URL', 'PG_URL'],
  binary: {
    // Absolute when found outside PATH; the bare name makes provisioning say it is not on PATH.
    get command() {
      const dir = binDir()
      return dir ? path.join(dir, 'postgres') : 'postgres'
    },
    args: (port, dir) => [
      '-D',
      dataDir(dir),
      // The Unix socket in the temp directory, not /var/run/postgresql (another server's, or absent).
      '-k',
      dir,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
    ],
    url: (port) => `postgres://postgres@127.0.0.1:${port}/test`,
    // The database the URL names is created in single-user mode: no server to wait for yet.
    async init(dir, run) {
      const bin = binDir() ?? ''
      await run(path.join(bin, 'initdb'), [
        ...['-D', dataDir(dir), '-A', 'trust', '-U', 'postgres'],
        ...['--no-sync', '--encoding=UTF8', '--locale=C'],
      ])
      const single = ['--single', '-D', dataDir(dir), '-F', '-c', 'exit_on_error=on', 'postgres']
      await run(path.join(bin, 'postgres'), single, 'CREATE DATABASE test;\n')
    },
    rootRunsAs: 'postgres',
    // SIGTERM waits for every client to disconnect; SIGINT (fast shutdown) disconnects them.
    stopSignal: 'SIGINT',
    startTimeoutMs: 30_000,
    keepsData: true,
  },
  container: {
    image: 'postgres:16-alpine',
    port: 5432,
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' },
    url: (host, port) => `postgres://postgres@${host}:${port}/test`,
  },
  ping: (url, timeoutMs) => queryOne(url, timeoutMs, 'SHOW server_version'),
  instance: (url, timeoutMs) => queryOne(url, timeoutMs, 'SELECT pg_postmaster_start_time()::text'),
  hint: 'set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test), install PostgreSQL, or start Docker',
}

/** The first column of the first row of `sql`. */
async function queryOne(url: string, timeoutMs: number, sql: string): Promise<string> {
  const rows = await queryRows(url, sql, { timeoutMs })
  return String(rows[0]?.[0] ?? 'unknown')
}
