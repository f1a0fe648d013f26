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
 * redis-benchmark's GET with 50 clients, on a value of the bench's session size that it writes
 * under a key of the bench's own (sc-bench-<token>-ceiling) and deletes at the end: the server's
 * own ceiling for the call a session read makes. Undefined for another backend or when
 * redis-benchmark is not installed.
 */
export async function ceilingFor(
  backend: { readonly kind: string; readonly url: string },
  payloadBytes: number,
  requests: number,
): Promise<Ceiling | undefined> {
  if (backend.kind !== 'redis') return undefined
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

async function installed(tool: string): Promise<boolean> {
  try {
    await run(tool, ['--version'])
    return true
  } catch {
    return false
  }
}
