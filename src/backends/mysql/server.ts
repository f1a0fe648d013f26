import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { dirHolding, lookedUpOnce, pathDirs } from '../_executables.js'
import type { ServerSpec } from '../types.js'
import { queryRows } from './query.js'

/** MariaDB's server and its installer; the server is in /usr/sbin, which a user's PATH often leaves out. */
const mariadbd = lookedUpOnce(() => find('mariadbd', ['/usr/sbin', '/usr/local/sbin', '/usr/libexec']))
const installDb = lookedUpOnce(() => find('mariadb-install-db', ['/usr/bin', '/usr/local/bin']))

function find(name: string, more: readonly string[]): string | undefined {
  const dir = dirHolding([name], [...pathDirs(), ...more])
  return dir && path.join(dir, name)
}

/** Root is told to stay root (mariadbd otherwise wants to be the mysql user); anyone else runs as themselves. */
const asRoot = () => (process.getuid?.() === 0 ? ['--user=root'] : [])

/** Options both the installer's bootstrap and the server read: a small redo log, no DNS lookups. */
const SHARED = ['--innodb-log-file-size=16M', '--skip-name-resolve']

/**
 * MySQL / MariaDB: MYSQL_URL, else MariaDB's mariadbd on a free port, else a container. The
 * private server writes each commit to the kernel but does not flush it to disk: a commit survives
 * a SIGKILL (innodb_flush_log_at_trx_commit=2), not an OS crash; with 0 the last second of commits
 * would die with the server.
 */
export const mysqlServer: ServerSpec = {
  kind: 'mysql',
  envVars: ['MYSQL_URL'],
  binary: {
    // Absolute when found; the bare name makes provisioning say it is not on PATH.
    get command() {
      return mariadbd() ?? 'mariadbd'
    },
    // --no-defaults first: no my.cnf of the machine's (its datadir, socket, port) applies.
    args: (port, dir) => [
      '--no-defaults',
      ...asRoot(),
      `--datadir=${path.join(dir, 'data')}`,
      `--socket=${path.join(dir, 'mysqld.sock')}`,
      `--pid-file=${path.join(dir, 'mysqld.pid')}`,
      `--tmpdir=${dir}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--innodb-flush-log-at-trx-commit=2',
      '--skip-log-bin',
      ...SHARED,
    ],
    url: (port) => `mysql://root@127.0.0.1:${port}/test`,
    // root without a password through normal authentication, like the container's; the database
    // the URL names is created by the installer's bootstrap.
    async init(dir, run) {
      const script = path.join(dir, 'init.sql')
      await writeFile(script, 'CREATE DATABASE test;\n')
      await run(installDb() ?? 'mariadb-install-db', [
        '--no-defaults',
        ...asRoot(),
        `--datadir=${path.join(dir, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        `--extra-file=${script}`,
        ...SHARED,
      ])
    },
    startTimeoutMs: 30_000,
    keepsData: true,
  },
  container: {
    image: 'mysql:8.4',
    port: 3306,
    env: { MYSQL_ALLOW_EMPTY_PASSWORD: 'yes', MYSQL_DATABASE: 'test' },
    url: (host, port) => `mysql://root@${host}:${port}/test`,
  },
  ping: (url, timeoutMs) => queryOne(url, timeoutMs, 'SELECT VERSION()'),
  // The start time in seconds: MariaDB has no server id, and its uptime moves.
  instance: (url, timeoutMs) =>
    queryOne(
      url,
      timeoutMs,
      "SELECT UNIX_TIMESTAMP() - VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'UPTIME'",
    ),
  hint: 'set MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/test), install MariaDB (mariadb-server), or start Docker',
}

/** The first column of the first row of `sql`. */
async function queryOne(url: string, timeoutMs: number, sql: string): Promise<string> {
  const rows = await queryRows(url, sql, { timeoutMs })
  return String(rows[0]?.[0] ?? 'unknown')
}
