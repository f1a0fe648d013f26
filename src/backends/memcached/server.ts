import { userInfo } from 'node:os'
import type { ServerSpec } from '../types.js'
import { ask } from './ask.js'

/** Memcached: MEMCACHED_URL (host:port), else memcached on a free port, else a container. */
export const memcachedServer: ServerSpec = {
  kind: 'memcached',
  envVars: ['MEMCACHED_URL'],
  binary: {
    command: 'memcached',
    // memcached refuses to run as root unless told which user to be.
    args: (port) => {
      const user = process.getuid?.() === 0 ? ['-u', userInfo().username] : []
      return ['-l', '127.0.0.1', '-p', String(port), '-U', '0', '-m', '64', ...user]
    },
    url: (port) => `127.0.0.1:${port}`,
  },
  container: { image: 'memcached:1.6-alpine', port: 11211, url: (host, port) => `${host}:${port}` },
  ping: async (url, timeoutMs) =>
    /^VERSION (\S+)\r\n/.exec(await ask(memcachedHost(url), 'version', /\r\n/, timeoutMs))?.[1] ?? 'unknown',
  // The server's pid and start time in seconds (`time - uptime`): one changes when it restarts.
  async instance(url, timeoutMs) {
    const stats = await ask(memcachedHost(url), 'stats', /END\r\n/, timeoutMs)
    const stat = (name: string) => Number(new RegExp(`STAT ${name} (\\d+)`).exec(stats)?.[1])
    return `pid:${stat('pid')} ${stat('time') - stat('uptime')}`
  },
  hint: 'set MEMCACHED_URL (host:port), install memcached (apt-get install memcached), or start Docker',
}

/** `memcached://host:port` or `host:port` → `host:port`. */
export function memcachedHost(url: string): string {
  return url.replace(/^memcached:\/\//, '').replace(/\/$/, '')
}
