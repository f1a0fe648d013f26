import type { ServerSpec } from '../types.js'
import { withRedis } from './keys.js'

/** Redis: REDIS_URL, else redis-server on a free port, else a container. */
export const redisServer: ServerSpec = {
  kind: 'redis',
  envVars: ['REDIS_URL'],
  binary: {
    command: 'redis-server',
    args: (port, dir) => [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    url: (port) => `redis://127.0.0.1:${port}`,
  },
  container: { image: 'redis:7.4-alpine', port: 6379, url: (host, port) => `redis://${host}:${port}` },
  ping: async (url, timeoutMs) => /redis_version:(\S+)/.exec(await serverInfo(url, timeoutMs))?.[1] ?? 'unknown',
  instance: async (url, timeoutMs) => /run_id:(\S+)/.exec(await serverInfo(url, timeoutMs))?.[1] ?? 'unknown',
  hint: 'set REDIS_URL, install redis-server (apt-get install redis-server), or start Docker',
}

/** INFO server over a connection of its own. */
function serverInfo(url: string, timeoutMs: number): Promise<string> {
  return withRedis(url, (client) => client.info('server'), timeoutMs)
}
