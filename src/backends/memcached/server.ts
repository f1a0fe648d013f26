import { Socket } from 'node:net'
import { userInfo } from 'node:os'
import type { ServerSpec } from '../types.js'

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
  ping: (url, timeoutMs) => memcachedVersion(memcachedHost(url), timeoutMs),
  hint: 'set MEMCACHED_URL (host:port), install memcached (apt-get install memcached), or start Docker',
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
