import type { ServerSpec } from '../types.js'

/** MongoDB: MONGO_URL, else mongod on a free port, else a container. */
export const mongoServer: ServerSpec = {
  kind: 'mongo',
  envVars: ['MONGO_URL', 'MONGODB_URL'],
  binary: {
    command: 'mongod',
    // --unixSocketPrefix keeps mongod's socket file inside the temp directory too.
    args: (port, dir) => [
      '--port',
      String(port),
      '--bind_ip',
      '127.0.0.1',
      '--dbpath',
      dir,
      '--unixSocketPrefix',
      dir,
      '--quiet',
    ],
    url: (port) => `mongodb://127.0.0.1:${port}`,
  },
  container: {
    image: 'mongo:7.0',
    port: 27017,
    url: (host, port) => `mongodb://${host}:${port}/?directConnection=true`,
  },
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
  // Unique to each mongod process start (the topologyVersion's processId).
  async instance(url, timeoutMs) {
    const { MongoClient } = await import('mongodb')
    const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs })
    try {
      await client.connect()
      const hello = await client.db('admin').command({ hello: 1 })
      return String(hello.topologyVersion?.processId ?? 'unknown')
    } finally {
      await client.close()
    }
  },
  hint: 'set MONGO_URL (e.g. mongodb://127.0.0.1:27017 after docker compose up -d), install mongod, or start Docker',
}
