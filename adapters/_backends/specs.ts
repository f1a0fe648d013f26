import { Socket } from 'node:net'
import { userInfo } from 'node:os'
import type { BackendKind, BackendSpec } from './backend.js'
import { IMAGES } from './images.js'

/** Redis: REDIS_URL, else redis-server on a free port, else a container. */
export const redisSpec: BackendSpec = {
  kind: 'redis',
  envVars: ['REDIS_URL'],
  binary: {
    command: 'redis-server',
    args: (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    url: (port) => `redis://127.0.0.1:${port}`,
  },
  container: { image: IMAGES.redis, port: 6379, url: (host, port) => `redis://${host}:${port}` },
  async ping(url, timeoutMs) {
    const { createClient } = await import('redis')
    const client = createClient({ url, disableOfflineQueue: true, socket: { connectTimeout: timeoutMs, socketTimeout: timeoutMs, reconnectStrategy: false } })
    client.on('error', () => {})
    try {
      await client.connect()
      const info = await client.info('server')
      return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown'
    } finally {
      // destroy, not close: a server that stopped answering would leave close() pending.
      if (client.isOpen) client.destroy()
    }
  },
  hint: 'set REDIS_URL, install redis-server (apt-get install redis-server), or start Docker',
}

/** MongoDB: MONGO_URL, else mongod on a free port, else a container. */
export const mongoSpec: BackendSpec = {
  kind: 'mongo',
  envVars: ['MONGO_URL', 'MONGODB_URL'],
  binary: {
    command: 'mongod',
    // --unixSocketPrefix keeps mongod's socket file inside the temp directory too.
    args: (port, dir) => ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dir, '--unixSocketPrefix', dir, '--quiet'],
    url: (port) => `mongodb://127.0.0.1:${port}`,
  },
  container: { image: IMAGES.mongo, port: 27017, url: (host, port) => `mongodb://${host}:${port}/?directConnection=true` },
  async ping(url, timeoutMs) {
    const { MongoClient } = await import('mongodb')
    const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs })
    try {
      await client.connect()
      const info = await client.db('admin').command({ buildInfo: 1 })
      return String(info.version)
    } finally {
      await client.close()
    }
  },
  hint: 'set MONGO_URL (e.g. mongodb://127.0.0.1:27017 after docker compose up -d), install mongod, or start Docker',
}

/** PostgreSQL: DATABASE_URL / PG_URL, else a container (servers are not started from a binary). */
export const postgresSpec: BackendSpec = {
  kind: 'postgres',
  envVars: ['DATABASE_URL', 'PG_URL'],
  container: {
    image: IMAGES.postgres,
    port: 5432,
    env: { POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' },
    url: (host, port) => `postgres://postgres@${host}:${port}/test`,
  },
  async ping(url, timeoutMs) {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs })
    client.on('error', () => {})
    try {
      await client.connect()
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version')
      return rows[0]?.server_version ?? 'unknown'
    } finally {
      await client.end().catch(() => {})
    }
  },
  hint: 'set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) or start Docker',
}

/** MySQL / MariaDB: MYSQL_URL, else a container. */
export const mysqlSpec: BackendSpec = {
  kind: 'mysql',
  envVars: ['MYSQL_URL'],
  container: {
    image: IMAGES.mysql,
    port: 3306,
    env: { MYSQL_ALLOW_EMPTY_PASSWORD: 'yes', MYSQL_DATABASE: 'test' },
    url: (host, port) => `mysql://root@${host}:${port}/test`,
  },
  async ping(url, timeoutMs) {
    const mysql = await import('mysql2/promise')
    const connection = await mysql.createConnection({ uri: url, connectTimeout: timeoutMs })
    try {
      const [rows] = await connection.query('SELECT VERSION() AS version')
      return String((rows as { version: string }[])[0]?.version ?? 'unknown')
    } finally {
      await connection.end().catch(() => {})
    }
  },
  hint: 'set MYSQL_URL (e.g. mysql://root@127.0.0.1:3306/test) or start Docker',
}

/** Memcached: MEMCACHED_URL (host:port), else memcached on a free port, else a container. */
export const memcachedSpec: BackendSpec = {
  kind: 'memcached',
  envVars: ['MEMCACHED_URL'],
  binary: {
    command: 'memcached',
    // memcached refuses to run as root unless told which user to be.
    args: (port) => ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64', ...(process.getuid?.() === 0 ? ['-u', userInfo().username] : [])],
    url: (port) => `127.0.0.1:${port}`,
  },
  container: { image: IMAGES.memcached, port: 11211, url: (host, port) => `${host}:${port}` },
  ping: (url, timeoutMs) => memcachedVersion(memcachedHost(url), timeoutMs),
  hint: 'set MEMCACHED_URL (host:port), install memcached (apt-get install memcached), or start Docker',
}

export const backendSpecs: Record<BackendKind, BackendSpec> = {
  redis: redisSpec,
  mongo: mongoSpec,
  postgres: postgresSpec,
  mysql: mysqlSpec,
  memcached: memcachedSpec,
}

/** `memcached://host:port` or `host:port` → `host:port`. */
export function memcachedHost(url: string): string {
  return url.replace(/^memcached:\/\//, '').replace(/\/$/, '')
}

/** The text protocol's `version` command, over a plain socket. */
function memcachedVersion(hostPort: string, timeoutMs: number): Promise<string> {
  const [host = '127.0.0.1', port = '11211'] = hostPort.split(':')
  return new Promise((resolve, reject) => {
    const socket = new Socket()
    let answer = ''
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    socket.once('error', reject)
    socket.once('close', () => reject(new Error('the connection closed without a VERSION reply')))
    socket.on('data', (chunk) => {
      answer += chunk.toString()
      const match = /^VERSION (\S+)\r\n/.exec(answer)
      if (match) {
        socket.end()
        resolve(match[1] as string)
      }
    })
    socket.connect(Number(port), host, () => socket.write('version\r\n'))
  })
}
