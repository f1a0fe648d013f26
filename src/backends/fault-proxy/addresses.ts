/**
 * Backend URLs and the fault proxy: where a URL points, and the same URL pointed at the proxy.
 * The forms are those the backends use: scheme URLs (redis, postgres, mysql, mongodb, memcached)
 * and memcached's bare `host:port`, IPv6 hosts in brackets. A URL with several hosts (a MongoDB
 * replica set) has no single upstream and is refused.
 */

/** Each scheme's port when its URL names none. */
const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  redis: 6379,
  rediss: 6379,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  mongodb: 27017,
  memcached: 11211,
}

/** The scheme a bare `host:port` is read as: memcached's URLs have none. */
const BARE_SCHEME = 'memcached'

/** The host (IPv6 without brackets, as node:net wants it) and port that `url` points at. */
export function upstreamOf(url: string): { host: string; port: number } {
  const { parsed, scheme } = parse(url)
  const port = parsed.port === '' ? DEFAULT_PORTS[scheme] : Number(parsed.port)
  if (port === undefined) throw new Error(`${url} names no port and ${scheme}: has no default one`)
  return { host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port }
}

/** `url` with its host and port replaced by the proxy's, everything else (user, password, path, query) kept. */
export function proxiedUrl(url: string, proxy: { host: string; port: number }): string {
  const { parsed, bare } = parse(url)
  parsed.hostname = proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host
  parsed.port = String(proxy.port)
  return bare ? parsed.host : parsed.href
}

/** `url` parsed by the WHATWG URL class; a bare `host:port` is parsed as a memcached URL. */
function parse(url: string): { parsed: URL; scheme: string; bare: boolean } {
  const bare = !url.includes('://')
  let parsed: URL
  try {
    parsed = new URL(bare ? `${BARE_SCHEME}://${url}` : url)
  } catch {
    throw new Error(`not a backend URL (one host, optional port): ${url}`)
  }
  if (parsed.hostname === '') throw new Error(`${url} names no host`)
  return { parsed, scheme: parsed.protocol.slice(0, -1), bare }
}
