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
  ping: async (url, timeoutMs) => String((await adminCommand(url, timeoutMs, { buildInfo: 1 })).version),
  // Unique to each mongod process start (the topologyVersion's processId).
  instance: async (url, timeoutMs) =>
    String((await adminCommand(url, timeoutMs, { hello: 1 })).topologyVersion?.processId ?? 'unknown'),
  hint: 'set MONGO_URL (e.g. mongodb://127.0.0.1:27017 after docker compose up -d), install mongod, or start Docker',
}

/** One admin command over a client of its own, closed whatever happens. */
async function adminCommand(url: string, timeoutMs: number, command: Record<string, 1>) {
  const { MongoClient } = await import('mongodb')
  const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs })
  try {
    await client.connect()
    return await client.db('admin').command(command)
  } finally {
    await client.close()
  }
}
